import { ActionStep, KubeObject } from '@modelfleet/plugin-modelfleet-common';
import { ModelPlan, strip } from '../actions/modelPlans';
import type {
  MigrationSource,
  MigrationTarget,
  MigrationTimings,
} from './migration';

const label = (w: { kind: string; namespace: string; name: string }) =>
  `${w.kind} ${w.namespace}/${w.name}`;
const plural = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;

/** Annotations a controller or a client writes, not the Deployment's owner. */
const NOT_OURS = [
  'deployment.kubernetes.io/revision',
  'kubectl.kubernetes.io/last-applied-configuration',
];

/**
 * A live Deployment as the object to apply back on a rollback: its
 * identity, labels, annotations (less those a controller or a client
 * wrote) and spec; no status, no server fields.
 */
export function restorable(live: KubeObject): KubeObject {
  const annotations = Object.fromEntries(
    Object.entries(live.metadata.annotations ?? {}).filter(
      ([k]) => !NOT_OURS.includes(k),
    ),
  );
  return {
    apiVersion: live.apiVersion,
    kind: live.kind,
    metadata: {
      name: live.metadata.name,
      namespace: live.metadata.namespace,
      ...(live.metadata.labels ? { labels: { ...live.metadata.labels } } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: (live as { spec?: unknown }).spec,
  } as KubeObject;
}

/**
 * The Deployment rendered for the target pool, made to roll over the live
 * one in place: its name and selector (immutable) are the live
 * Deployment's, its pods carry the selector's labels, it keeps the
 * replicas it runs, and it surges all of them at once with none
 * unavailable, so the old pods serve until the new ones are Ready.
 */
function rollingOver(
  rendered: KubeObject,
  live: KubeObject,
  replicas: number,
): KubeObject {
  const liveSpec = (live as { spec?: Record<string, any> }).spec ?? {};
  const spec = ((rendered as { spec?: Record<string, any> }).spec ??
    {}) as Record<string, any>;
  const selector = liveSpec.selector ?? spec.selector;
  const template = spec.template ?? {};
  return {
    ...rendered,
    metadata: {
      ...rendered.metadata,
      name: live.metadata.name,
      namespace: live.metadata.namespace,
    },
    spec: {
      ...spec,
      replicas,
      selector,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '100%', maxUnavailable: 0 },
      },
      template: {
        ...template,
        metadata: {
          ...template.metadata,
          labels: {
            ...template.metadata?.labels,
            ...selector?.matchLabels,
          },
        },
      },
    },
  } as KubeObject;
}

/**
 * The steps that move a model to another pool of its own cluster,
 * make-before-break, as a rolling update of its Deployment (pure):
 *
 * 1. hold its KEDA autoscaler at the replicas it runs, so the count does
 *    not change under the move;
 * 2. apply its Deployment rendered for the target pool by the template's
 *    renderer (name and selector kept), surging every replica at once
 *    with none unavailable: Kubernetes starts the new pods on the target
 *    pool and ends an old one only once new ones are Ready; its Service
 *    follows the Ready pods, so traffic switches as they come;
 * 3. wait until the rollout is complete (every replica Ready on the new
 *    template, no old pod left), for at most twice its load time plus a
 *    node's provisioning; past that, or when a step fails, the action
 *    rolls back by applying the Deployment as it was, which brings back
 *    the old template: the old pods never stopped;
 * 4. drain its spot companions, and hand it back to its autoscaler.
 */
export function planInClusterMove(
  source: MigrationSource & { live: KubeObject },
  target: MigrationTarget,
  timings: MigrationTimings,
): ModelPlan {
  const w = source.workload;
  if (w.kind !== 'Deployment' || source.live.kind !== 'Deployment') {
    return {
      ok: false,
      reason: `${label(
        w,
      )} is not a Deployment: only a Deployment rolls over to another pool`,
    };
  }
  const rendered = target.objects.find(o => o.kind === 'Deployment');
  if (!rendered) {
    return {
      ok: false,
      reason:
        'its objects for the target have no Deployment (a Knative model cannot be moved yet)',
    };
  }
  const n = source.replicas.desired;
  const autoscaler = source.autoscaler;
  const handBack = Boolean(
    autoscaler && autoscaler.pausedReplicas === undefined,
  );
  const timeoutSeconds =
    2 * (timings.loadSeconds + timings.provisioningSeconds);
  const steps: ActionStep[] = [];
  if (autoscaler && n > 0) {
    steps.push({
      description: `Hold the ${autoscaler.kind} ${autoscaler.name} at ${plural(
        n,
      )} while it moves`,
      do: { op: 'pauseAutoscaler', autoscaler: strip(autoscaler), replicas: n },
      undo: {
        op: 'pauseAutoscaler',
        autoscaler: strip(autoscaler),
        replicas: autoscaler.pausedReplicas ?? null,
      },
    });
  }
  steps.push({
    description: `Roll ${label(w)} on ${w.cluster} over to ${
      target.title
    }, rendered for it: every replica surges there, none of the old ones ends before new ones are Ready`,
    do: {
      op: 'apply',
      cluster: w.cluster,
      objects: [rollingOver(rendered, source.live, n)],
    },
    undo: {
      op: 'apply',
      cluster: w.cluster,
      objects: [restorable(source.live)],
    },
  });
  if (n > 0) {
    steps.push({
      description: `Wait until ${plural(n)} of ${label(w)} ${
        n === 1 ? 'is' : 'are'
      } ready on ${target.title} and no old pod is left (at most ${Math.round(
        timeoutSeconds / 60,
      )} min: twice a node's provisioning and the model's load)`,
      do: { op: 'waitReady', workload: w, replicas: n, timeoutSeconds },
    });
  }
  for (const c of source.companions ?? []) {
    if (c.desired <= 0) continue;
    const ref = { ...w, name: c.name };
    steps.push({
      description: `Drain its spot companion ${label(ref)}: scale it to zero`,
      do: { op: 'scale', workload: ref, replicas: 0 },
      undo: { op: 'scale', workload: ref, replicas: c.desired, ifReplicas: 0 },
    });
  }
  if (autoscaler && n > 0 && handBack) {
    steps.push({
      description: `Hand ${label(w)} back to its ${autoscaler.kind}`,
      do: {
        op: 'pauseAutoscaler',
        autoscaler: strip(autoscaler),
        replicas: null,
      },
      undo: {
        op: 'pauseAutoscaler',
        autoscaler: strip(autoscaler),
        replicas: n,
      },
    });
  }
  return {
    ok: true,
    kind: 'migrate',
    cluster: w.cluster,
    steps,
    summary: `move within cluster ${w.cluster} to ${
      target.title
    }, make-before-break (${plural(n)})`,
  };
}
