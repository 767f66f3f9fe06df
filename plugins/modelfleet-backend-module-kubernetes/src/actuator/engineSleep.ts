import { HttpMethod } from '@kubernetes/client-node';
import {
  ActuatorError,
  EngineSleepState,
  ENGINE_PORT_ANNOTATION,
  IDLE_TIER_ANNOTATION,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-node';
import { ClusterClient } from './ClusterClient';
import { LabelSelector, podSelectorOf } from './pods';
import { describeRef, workloadPath } from './resources';

/** The port vLLM serves on when the workload does not name one. */
export const DEFAULT_ENGINE_PORT = 8000;

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
): Promise<{ pods: string[]; port: number }> {
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
  const rawPort = annotations[ENGINE_PORT_ANNOTATION];
  const port = rawPort === undefined ? DEFAULT_ENGINE_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ActuatorError(
      'invalid',
      `${what} on cluster ${workload.cluster}: annotation ${ENGINE_PORT_ANNOTATION} must be a port number, got '${rawPort}'`,
      false,
    );
  }
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
  return { pods, port };
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
