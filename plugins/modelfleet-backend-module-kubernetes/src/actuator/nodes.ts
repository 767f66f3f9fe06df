/*
 * Cordon and drain: what a consolidation does to a node it empties. The
 * node is cordoned by a merge patch of `spec.unschedulable`, as `kubectl
 * cordon` does; its model pods are evicted through the Eviction API
 * (`pods/<name>/eviction`), as `kubectl drain --ignore-daemonsets` does, so
 * the API server holds back what a PodDisruptionBudget protects.
 */
import { ApiException, HttpMethod } from '@kubernetes/client-node';
import { MODEL_WORKLOAD_LABEL } from '@modelfleet/plugin-modelfleet-common';
import {
  ActuatorChangeOptions,
  ActuatorError,
  DrainPass,
  NodeRef,
} from '@modelfleet/plugin-modelfleet-node';
import { isPodTerminated } from '../mapping/common';
import { ClusterClient } from './ClusterClient';
import { isNotFound } from './errors';
import { mergePatch, stampOf } from './writes';

/** What the node writes need of the actuator. */
export interface NodeWriter {
  client: ClusterClient;
  /** Runs the requests of one call, turning their errors into ActuatorErrors. */
  call: <T>(what: string, fn: () => Promise<T>) => Promise<T>;
  log: (change: string, options: ActuatorChangeOptions) => void;
}

interface Pod {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ kind?: string; controller?: boolean }>;
    deletionTimestamp?: string;
  };
  status?: { phase?: string };
}

const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;
const keyOf = (p: Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;

/** A pod `kubectl drain --ignore-daemonsets` leaves where it is. */
function stays(p: Pod): boolean {
  return (
    isPodTerminated(p) ||
    (p.metadata?.ownerReferences ?? []).some(
      o => o.controller && o.kind === 'DaemonSet',
    ) ||
    Boolean(p.metadata?.annotations?.['kubernetes.io/config.mirror'])
  );
}

/**
 * Cordons (`true`) or uncordons (`false`) a node; a node already so is
 * left as it is. Uncordoning removes `spec.unschedulable`, as `kubectl
 * uncordon` does. Throws `notFound` when the node is gone.
 */
export async function cordonNode(
  w: NodeWriter,
  node: NodeRef,
  unschedulable: boolean,
  options: ActuatorChangeOptions,
): Promise<{ previous: boolean }> {
  const what = `node ${node.name}`;
  const path = nodePath(node.name);
  return w.call(what, async () => {
    const current = await w.client.request<{
      spec?: { unschedulable?: boolean };
    }>(HttpMethod.GET, path);
    const previous = current.spec?.unschedulable === true;
    if (previous === unschedulable) return { previous };
    await mergePatch(w.client, path, options, {
      metadata: { annotations: stampOf(options) },
      spec: { unschedulable: unschedulable ? true : null },
    });
    w.log(`${unschedulable ? 'cordoned' : 'uncordoned'} ${what}`, options);
    return { previous };
  });
}

/**
 * One pass of a drain of a node: evicts each model pod on it that is not
 * terminating yet. A pod a PodDisruptionBudget holds (429) is reported,
 * not thrown; a pod gone meanwhile (404) is gone. Other pods on the node
 * (neither a model's, a DaemonSet's, a mirror pod nor ended) stop the
 * drain before anything is evicted.
 */
export async function drainNode(
  w: NodeWriter,
  node: NodeRef,
  options: ActuatorChangeOptions,
): Promise<DrainPass> {
  const list = await w.call(`the pods on node ${node.name}`, () =>
    w.client.request<{ items?: Pod[] }>(HttpMethod.GET, '/api/v1/pods', {
      query: { fieldSelector: `spec.nodeName=${node.name}` },
    }),
  );
  const pods = (list.items ?? []).filter(p => p.metadata?.name && !stays(p));
  const foreign = pods.filter(p => !p.metadata?.labels?.[MODEL_WORKLOAD_LABEL]);
  if (foreign.length) {
    throw new ActuatorError(
      'conflict',
      `${node.cluster}: node ${
        node.name
      } runs pods ModelFleet does not run (${foreign
        .map(keyOf)
        .slice(0, 5)
        .join(', ')}${
        foreign.length > 5 ? ` and ${foreign.length - 5} more` : ''
      }); ModelFleet evicts only model pods: drain it by hand (kubectl drain) or move them first`,
      false,
    );
  }
  const out: DrainPass = { evicted: [], blocked: [], remaining: 0 };
  for (const p of pods) {
    const key = keyOf(p);
    if (p.metadata?.deletionTimestamp) {
      out.remaining++;
      continue;
    }
    const namespace = p.metadata!.namespace ?? 'default';
    const name = p.metadata!.name!;
    const outcome = await w.call(`pod ${key}`, () =>
      w.client
        .request(
          HttpMethod.POST,
          `/api/v1/namespaces/${encodeURIComponent(
            namespace,
          )}/pods/${encodeURIComponent(name)}/eviction`,
          {
            query: { dryRun: options.dryRun ? 'All' : undefined },
            body: {
              apiVersion: 'policy/v1',
              kind: 'Eviction',
              metadata: { name, namespace },
            },
          },
        )
        .then(() => 'evicted' as const)
        .catch(e => {
          if (e instanceof ApiException && e.code === 429) {
            out.blocked.push({ pod: key, reason: reasonOf(e) });
            return 'blocked' as const;
          }
          if (isNotFound(e)) return 'gone' as const;
          throw e;
        }),
    );
    if (outcome === 'gone') continue;
    // An evicted pod terminates for its grace period; a blocked one stays.
    out.remaining++;
    if (outcome === 'evicted') out.evicted.push(key);
  }
  if (out.evicted.length) {
    w.log(`evicted ${out.evicted.join(', ')} from node ${node.name}`, options);
  }
  return out;
}

/** The API server's words for a refused eviction: its Status and causes. */
function reasonOf(e: ApiException<unknown>): string {
  const body = e.body as
    | { message?: string; details?: { causes?: Array<{ message?: string }> } }
    | undefined;
  const causes = (body?.details?.causes ?? [])
    .map(c => c.message)
    .filter((m): m is string => Boolean(m));
  return [body?.message ?? 'the eviction was refused (429)', ...causes].join(
    ': ',
  );
}
