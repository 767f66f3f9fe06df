import { HttpMethod } from '@kubernetes/client-node';
import {
  ActuatorError,
  EngineSleepState,
  EngineWake,
  ENGINE_PORT_ANNOTATION,
  IDLE_TIER_ANNOTATION,
  WAKE_GATE_PORT_ANNOTATION,
  WAKE_GATE_WAKES_PATH,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-node';
import { ClusterClient } from './ClusterClient';
import { LabelSelector, podSelectorOf } from './pods';
import { describeRef, workloadPath } from './resources';

/** The port vLLM serves on when the workload does not name one. */
export const DEFAULT_ENGINE_PORT = 8000;
/** The port the wake gate listens on when the workload does not name one. */
export const DEFAULT_WAKE_GATE_PORT = 8080;

/** How the engine calls reach a cluster: its client, and error wrapping. */
export interface EngineCalls {
  client: ClusterClient;
  call<T>(what: string, fn: () => Promise<T>): Promise<T>;
}

interface Pod {
  metadata?: { name?: string; deletionTimestamp?: string };
  status?: {
    phase?: string;
    conditions?: Array<{ type?: string; status?: string }>;
  };
}

interface SleepWorkload {
  metadata?: { annotations?: Record<string, string> };
  spec?: { selector?: LabelSelector };
}

/**
 * The workload's Ready pods and its engine port. Only a workload deployed
 * with the sleep idle tier has a wake gate in front of its engine; putting
 * any other to sleep would leave it deaf to requests, so it is refused.
 */
async function readyPods(
  io: EngineCalls,
  workload: WorkloadRef,
): Promise<{ pods: string[]; port: number; gatePort: number }> {
  const what = describeRef(workload);
  const object = await io.call(what, () =>
    io.client.request<SleepWorkload>(HttpMethod.GET, workloadPath(workload)),
  );
  const annotations = object.metadata?.annotations ?? {};
  if (annotations[IDLE_TIER_ANNOTATION] !== 'sleep') {
    throw new ActuatorError(
      'invalid',
      `${what} on cluster ${workload.cluster} was not deployed with the sleep idle tier (annotation ${IDLE_TIER_ANNOTATION}: sleep), so nothing would wake its engine`,
      false,
    );
  }
  const portOf = (annotation: string, fallback: number) => {
    const raw = annotations[annotation];
    const port = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ActuatorError(
        'invalid',
        `${what} on cluster ${workload.cluster}: annotation ${annotation} must be a port number, got '${raw}'`,
        false,
      );
    }
    return port;
  };
  const port = portOf(ENGINE_PORT_ANNOTATION, DEFAULT_ENGINE_PORT);
  const gatePort = portOf(WAKE_GATE_PORT_ANNOTATION, DEFAULT_WAKE_GATE_PORT);
  const labelSelector = podSelectorOf(workload, what, object.spec?.selector);
  const list = await io.call(`the pods of ${what}`, () =>
    io.client.request<{ items?: Pod[] }>(
      HttpMethod.GET,
      `/api/v1/namespaces/${encodeURIComponent(workload.namespace)}/pods`,
      { query: { labelSelector } },
    ),
  );
  const pods = (list.items ?? [])
    .filter(
      p =>
        p.metadata?.name &&
        !p.metadata.deletionTimestamp &&
        p.status?.phase === 'Running' &&
        p.status.conditions?.some(
          c => c.type === 'Ready' && c.status === 'True',
        ),
    )
    .map(p => p.metadata!.name!)
    .sort();
  return { pods, port, gatePort };
}

const proxyPath = (workload: WorkloadRef, pod: string, port: number) =>
  `/api/v1/namespaces/${encodeURIComponent(
    workload.namespace,
  )}/pods/${encodeURIComponent(pod)}:${port}/proxy`;

async function isSleeping(
  io: EngineCalls,
  workload: WorkloadRef,
  pod: string,
  port: number,
): Promise<boolean> {
  const answer = await io.call(`the engine of pod ${pod}`, () =>
    io.client.request<unknown>(
      HttpMethod.GET,
      `${proxyPath(workload, pod, port)}/is_sleeping`,
    ),
  );
  const sleeping = (answer as { is_sleeping?: unknown } | undefined)
    ?.is_sleeping;
  if (typeof sleeping !== 'boolean') {
    throw new ActuatorError(
      'invalid',
      `the engine of pod ${workload.namespace}/${pod} on cluster ${
        workload.cluster
      } answered /is_sleeping with ${JSON.stringify(answer)?.slice(
        0,
        120,
      )}, not {"is_sleeping": true|false}`,
      false,
    );
  }
  return sleeping;
}

/** Whether the engine of each Ready pod sleeps. */
export async function readEngineSleep(
  io: EngineCalls,
  workload: WorkloadRef,
): Promise<EngineSleepState> {
  const { pods, port } = await readyPods(io, workload);
  const out: EngineSleepState = { pods: [] };
  for (const name of pods) {
    out.pods.push({
      name,
      sleeping: await isSleeping(io, workload, name, port),
    });
  }
  return out;
}

/**
 * Puts each Ready pod's engine to sleep (`level` 1) or wakes it (`null`),
 * skipping those already so; the state before.
 */
export async function writeEngineSleep(
  io: EngineCalls,
  workload: WorkloadRef,
  level: 1 | null,
  dryRun: boolean,
): Promise<{ previous: EngineSleepState; changed: string[] }> {
  const { pods, port } = await readyPods(io, workload);
  const previous: EngineSleepState = { pods: [] };
  const changed: string[] = [];
  for (const name of pods) {
    const sleeping = await isSleeping(io, workload, name, port);
    previous.pods.push({ name, sleeping });
    if (sleeping === (level !== null) || dryRun) continue;
    const path =
      level === null
        ? `${proxyPath(workload, name, port)}/wake_up`
        : `${proxyPath(workload, name, port)}/sleep`;
    await io.call(`the engine of pod ${name}`, () =>
      io.client.request(HttpMethod.POST, path, {
        query: level === null ? {} : { level: String(level) },
      }),
    );
    changed.push(name);
  }
  return { previous, changed };
}

/** One pod's gate's answer, checked: a clear error names the field. */
export function parseWakes(
  workload: WorkloadRef,
  pod: string,
  answer: unknown,
): EngineWake[] {
  const where = `the wake gate of pod ${workload.namespace}/${pod} on cluster ${workload.cluster}`;
  const bad = (field: string, value: unknown, want: string) =>
    new ActuatorError(
      'invalid',
      `${where} answered ${WAKE_GATE_WAKES_PATH} with ${field} = ${JSON.stringify(
        value,
      )?.slice(0, 120)}, not ${want}`,
      false,
    );
  const wakes = (answer as { wakes?: unknown } | undefined)?.wakes;
  if (!Array.isArray(wakes)) throw bad('wakes', wakes, 'a list');
  return wakes.map((w, i) => {
    const { startedAt, seconds } = (w ?? {}) as Record<string, unknown>;
    if (typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) {
      throw bad(`wakes[${i}].startedAt`, startedAt, 'an ISO 8601 time');
    }
    if (typeof seconds !== 'number' || !(seconds >= 0) || seconds > 86400) {
      throw bad(`wakes[${i}].seconds`, seconds, 'seconds between 0 and 86400');
    }
    return { pod, startedAt: new Date(startedAt).toISOString(), seconds };
  });
}

/**
 * The wakes the gate of each Ready pod made for requests that found its
 * engine asleep, oldest first.
 */
export async function readEngineWakes(
  io: EngineCalls,
  workload: WorkloadRef,
): Promise<EngineWake[]> {
  const { pods, gatePort } = await readyPods(io, workload);
  const out: EngineWake[] = [];
  for (const pod of pods) {
    const answer = await io.call(`the wake gate of pod ${pod}`, () =>
      io.client.request<unknown>(
        HttpMethod.GET,
        `${proxyPath(workload, pod, gatePort)}${WAKE_GATE_WAKES_PATH}`,
      ),
    );
    out.push(...parseWakes(workload, pod, answer));
  }
  return out.sort(
    (a, b) =>
      a.startedAt.localeCompare(b.startedAt) || a.pod.localeCompare(b.pod),
  );
}
