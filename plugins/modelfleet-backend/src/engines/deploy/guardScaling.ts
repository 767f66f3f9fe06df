/**
 * The scaling objects of a model deployment: replica bounds within the
 * cap, and autoscalers and request routes that reach only the model's own
 * objects (in a shared namespace, one team's ScaledObject must not scale
 * another model's Deployment, and the KEDA HTTP add-on's routing table is
 * the whole cluster's: one HTTPScaledObject claiming another model's host
 * would receive its requests).
 */
import {
  KubeObject,
  MAX_MODEL_REPLICAS,
} from '@modelfleet/plugin-modelfleet-common';
import { at, quote } from './shape';

type Refuse = (path: string, reason: string) => void;

/** Where each kind keeps a replica count, which no model needs above the cap. */
const REPLICA_COUNTS = new Map<string, string[][]>([
  ['Deployment', [['spec', 'replicas']]],
  [
    'HorizontalPodAutoscaler',
    [
      ['spec', 'minReplicas'],
      ['spec', 'maxReplicas'],
    ],
  ],
  [
    'ScaledObject',
    [
      ['spec', 'minReplicaCount'],
      ['spec', 'maxReplicaCount'],
      ['spec', 'idleReplicaCount'],
    ],
  ],
  [
    'HTTPScaledObject',
    [
      ['spec', 'replicas', 'min'],
      ['spec', 'replicas', 'max'],
    ],
  ],
]);

/** Knative's replica bounds: strings among the revision template's annotations. */
const KNATIVE_SCALE = ['min-scale', 'max-scale', 'initial-scale'].map(
  k => `autoscaling.knative.dev/${k}`,
);
const KNATIVE_MAX_SCALE = 'autoscaling.knative.dev/max-scale';

const isKnativeService = (o: KubeObject) =>
  o?.kind === 'Service' &&
  typeof o?.apiVersion === 'string' &&
  o.apiVersion.startsWith('serving.knative.dev/');

const pastCap = (n: number) =>
  !Number.isInteger(n) || n < 0 || n > MAX_MODEL_REPLICAS;
const capReason = `must be a whole number from 0 to ${MAX_MODEL_REPLICAS}`;

/**
 * Refuses replica counts past MAX_MODEL_REPLICAS, and the new autoscalers
 * that leave the maximum out, whose default is past it: an
 * HTTPScaledObject without `replicas.max` (100), a Knative Service
 * without `max-scale`, or with 0 (no limit).
 */
export function checkReplicaCounts(o: KubeObject, refuse: Refuse) {
  for (const path of REPLICA_COUNTS.get(o?.kind) ?? []) {
    const n = at(o, path);
    // Absent, or not finite (refused by checkNumbers already).
    if (typeof n !== 'number' || !Number.isFinite(n)) continue;
    if (pastCap(n)) refuse(path.join('.'), `${n} replicas: ${capReason}`);
  }
  if (o?.kind === 'HTTPScaledObject' && at(o, ['spec']) !== undefined) {
    if (at(o, ['spec', 'replicas', 'max']) === undefined) {
      refuse(
        'spec.replicas.max',
        `absent: the HTTP add-on then scales to 100 replicas; a model needs at most ${MAX_MODEL_REPLICAS}`,
      );
    }
  }
  if (!isKnativeService(o)) return;
  const base = 'spec.template.metadata.annotations';
  const annotations = at(o, base.split('.'));
  const valueOf = (key: string) =>
    annotations &&
    typeof annotations === 'object' &&
    Object.hasOwn(annotations, key)
      ? (annotations as Record<string, unknown>)[key]
      : undefined;
  for (const key of KNATIVE_SCALE) {
    const value = valueOf(key);
    if (value === undefined) continue;
    const n =
      typeof value === 'string' && /^\d{1,6}$/.test(value)
        ? Number(value)
        : NaN;
    if (Number.isNaN(n) || pastCap(n)) {
      refuse(`${base}.${key}`, `${quote(value)} replicas: ${capReason}`);
    }
  }
  const max = valueOf(KNATIVE_MAX_SCALE);
  if (max === undefined || max === '0') {
    refuse(
      `${base}.${KNATIVE_MAX_SCALE}`,
      `${
        max === undefined ? 'absent' : '0'
      }: the revision then scales without limit; a model needs at most ${MAX_MODEL_REPLICAS}`,
    );
  }
}

/** Whether `name` is the model's or one of its objects' (`chat`, `chat-…`). */
const namedAfter = (name: unknown, model: string) =>
  typeof name === 'string' && (name === model || name.startsWith(`${model}-`));

/** Where autoscalers and routes name an object of the namespace. */
const TARGETS = new Map<string, string[][]>([
  ['HorizontalPodAutoscaler', [['spec', 'scaleTargetRef', 'name']]],
  ['ScaledObject', [['spec', 'scaleTargetRef', 'name']]],
  [
    'HTTPScaledObject',
    [
      ['spec', 'scaleTargetRef', 'name'],
      ['spec', 'scaleTargetRef', 'service'],
      ['spec', 'coldStartTimeoutFailoverRef', 'service'],
    ],
  ],
]);

/**
 * Refuses autoscalers that scale, and routes that send requests to, what
 * is not the model's: a target not named after it, an HTTPScaledObject
 * without hosts (the interceptor's catch-all) or with a host other than
 * the model's own in-cluster names (`chat.models`, `chat.models.svc`,
 * `chat.models.svc.<cluster domain>`), and a ScaledObject that reads
 * another HTTPScaledObject's requests.
 */
export function checkScalingTargets(
  o: KubeObject,
  model: string,
  namespace: string,
  refuse: Refuse,
) {
  for (const path of TARGETS.get(o?.kind) ?? []) {
    const name = at(o, path);
    if (name !== undefined && !namedAfter(name, model)) {
      refuse(
        path.join('.'),
        `'${quote(name)}' is not the model's (${model} or ${model}-…)`,
      );
    }
  }
  if (o?.kind === 'ScaledObject') {
    const triggers = at(o, ['spec', 'triggers']);
    (Array.isArray(triggers) ? triggers : []).forEach((t, i) => {
      const httpso = at(t, ['metadata', 'httpScaledObject']);
      if (httpso !== undefined && !namedAfter(httpso, model)) {
        refuse(
          `spec.triggers[${i}].metadata.httpScaledObject`,
          `'${quote(httpso)}' is not the model's (${model} or ${model}-…)`,
        );
      }
    });
  }
  if (o?.kind !== 'HTTPScaledObject' || at(o, ['spec']) === undefined) return;
  const hosts = at(o, ['spec', 'hosts']);
  if (!Array.isArray(hosts) || hosts.length === 0) {
    refuse(
      'spec.hosts',
      `${
        hosts === undefined ? 'absent' : 'empty'
      }: the interceptor would send the model every request no other route takes; list the model's host names (${model}.${namespace}.svc.cluster.local)`,
    );
    return;
  }
  hosts.forEach((host, i) => {
    const [svc, ns, ...rest] =
      typeof host === 'string' ? host.toLowerCase().split('.') : [];
    const domain = rest.join('.');
    const own =
      namedAfter(svc, model) &&
      ns === namespace &&
      (domain === '' || domain === 'svc' || /^svc\.[a-z0-9.-]+$/.test(domain));
    if (!own) {
      refuse(
        `spec.hosts[${i}]`,
        `'${quote(
          host,
        )}' is not one of the model's in-cluster names (${model}.${namespace}, ${model}.${namespace}.svc, ${model}.${namespace}.svc.cluster.local)`,
      );
    }
  });
}
