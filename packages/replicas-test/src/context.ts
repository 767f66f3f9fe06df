import { ActionDriver, Locks, ModelInfo } from './actions';
import { Backend, Replicas } from './backends';
import { clusterUrl, Settings } from './environment';
import { request } from './http';

/** What the phases share. */
export interface RunContext {
  settings: Settings;
  replicas: Replicas;
  driver: ActionDriver;
  locks: Locks;
  models: ModelInfo[];
  log(message: string): void;
  /** Starts a replica again after it was killed; resolves when it is up. */
  restart(b: Backend): Promise<void>;
}

/** A check of the run: passed or not, and what was seen. */
export interface Check {
  phase: string;
  name: string;
  pass: boolean;
  detail: string;
}

/** A fault for the simulator (`POST /_sim/faults`). */
export interface FaultSpec {
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  times?: number;
  status?: number;
  message?: string;
  delayMs?: number;
  drop?: boolean;
}

export async function addFaults(
  s: Settings,
  clusterIndex: number,
  faults: FaultSpec[],
): Promise<Array<FaultSpec & { id: number }>> {
  const r = await request(`${clusterUrl(s, clusterIndex)}/_sim/faults`, {
    method: 'POST',
    body: faults,
  });
  if (r.status !== 201) {
    throw new Error(`POST /_sim/faults: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body;
}

export async function listFaults(
  s: Settings,
  clusterIndex: number,
): Promise<Array<FaultSpec & { id: number; remaining: number }>> {
  return (await request(`${clusterUrl(s, clusterIndex)}/_sim/faults`)).body;
}

export async function clearFaults(
  s: Settings,
  clusterIndex: number,
): Promise<void> {
  await request(`${clusterUrl(s, clusterIndex)}/_sim/faults`, {
    method: 'DELETE',
  });
}

/** The capabilities of a model (its replicas, what may be done now). */
export async function capabilities(ctx: RunContext, m: ModelInfo) {
  const r = await ctx.replicas.read(`/models/default/${m.name}/capabilities`);
  if (r.status !== 200) {
    throw new Error(
      `capabilities of ${m.name}: ${r.status} ${JSON.stringify(r.body)}`,
    );
  }
  return r.body as {
    workload?: unknown;
    replicas?: { desired: number; ready: number };
    autoscaler?: unknown;
    scale: { allowed: boolean; reason?: string };
    hibernate: { allowed: boolean; reason?: string };
    wake: { allowed: boolean; reason?: string };
  };
}

/** A replica count other than the one the model runs now. */
export function otherCount(desired: number): number {
  return desired >= 2 ? desired - 1 : desired + 1;
}
