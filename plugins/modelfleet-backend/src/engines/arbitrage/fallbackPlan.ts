/**
 * The steps of an on-demand fallback (`spot-fallback` action): the
 * stand-in Deployment on an on-demand pool of the model's cluster, made
 * from the model rendered for that pool, and the replicas it runs. Pure.
 *
 * @internal
 */
import {
  ActionStep,
  FALLBACK_ROLE,
  KubeObject,
  WORKLOAD_ROLE_LABEL,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';

/** The name of a model's on-demand stand-in. */
export const fallbackName = (workload: string) => `${workload}-on-demand`;

const plural = (n: number) => `${n} replica${n === 1 ? '' : 's'}`;

/**
 * The stand-in Deployment: the model's Deployment rendered for the
 * on-demand pool, named `<workload>-on-demand` and labelled
 * `modelfleet.io/role: spot-fallback` (on itself, its selector and its
 * pods). Its pods keep the model's labels, so the model's Service sends
 * them traffic; the model's own workload tells them apart by the role.
 * Created parked at zero: its replicas are set by a step of their own. A
 * model cache that one node only may mount (ReadWriteOnce) is not shared:
 * the stand-in's pods download the weights into a volume of their own.
 */
export function fallbackDeployment(
  rendered: readonly KubeObject[],
  workload: string,
): KubeObject | undefined {
  const d = rendered.find(o => o.kind === 'Deployment');
  if (!d) return undefined;
  const spec = JSON.parse(JSON.stringify(d.spec ?? {})) as any;
  const role = { [WORKLOAD_ROLE_LABEL]: FALLBACK_ROLE };
  spec.replicas = 0;
  spec.selector = {
    ...spec.selector,
    matchLabels: { ...spec.selector?.matchLabels, ...role },
  };
  spec.template = {
    ...spec.template,
    metadata: {
      ...spec.template?.metadata,
      labels: { ...spec.template?.metadata?.labels, ...role },
    },
  };
  const sharedClaims = new Set(
    rendered
      .filter(
        o =>
          o.kind === 'PersistentVolumeClaim' &&
          ((o.spec as any)?.accessModes ?? []).includes('ReadWriteMany'),
      )
      .map(o => o.metadata.name),
  );
  spec.template.spec = {
    ...spec.template.spec,
    volumes: (spec.template.spec?.volumes ?? []).map((v: any) =>
      v.persistentVolumeClaim &&
      !sharedClaims.has(v.persistentVolumeClaim.claimName)
        ? { name: v.name, emptyDir: {} }
        : v,
    ),
  };
  return {
    apiVersion: d.apiVersion,
    kind: 'Deployment',
    metadata: {
      ...d.metadata,
      name: fallbackName(workload),
      labels: { ...d.metadata.labels, ...role },
    },
    spec,
  };
}

/**
 * The steps taking the stand-in from `from` to `to` replicas: create it
 * parked when it does not exist yet, then scale it. Undone, it goes back
 * to `from` (unless someone else has changed its count since).
 */
export function planFallbackSteps(input: {
  cluster: string;
  namespace: string;
  /** The model's own workload's name. */
  workload: string;
  /** The stand-in to create, when it does not exist yet. */
  create?: KubeObject;
  from: number;
  to: number;
  onDemandTitle: string;
}): ActionStep[] {
  const ref: WorkloadRef = {
    cluster: input.cluster,
    namespace: input.namespace,
    kind: 'Deployment',
    name: fallbackName(input.workload),
  };
  const steps: ActionStep[] = [];
  if (input.create) {
    steps.push({
      description: `Create the on-demand stand-in ${input.namespace}/${ref.name} on ${input.onDemandTitle}, parked at zero`,
      do: { op: 'apply', cluster: input.cluster, objects: [input.create] },
    });
  }
  steps.push({
    description:
      input.to > input.from
        ? `Bring the on-demand stand-in up to ${plural(input.to)}`
        : `Take the on-demand stand-in down to ${plural(
            input.to,
          )}: spot serves again`,
    do: { op: 'scale', workload: ref, replicas: input.to },
    undo: {
      op: 'scale',
      workload: ref,
      replicas: input.from,
      ifReplicas: input.to,
    },
  });
  return steps;
}
