/**
 * The steps of a spot fallback (`spot-fallback` action): the model's
 * companions beside its own Deployment, each made from the model rendered
 * for its pool (the on-demand stand-in on an on-demand pool of the
 * model's cluster, spot companions on its other spot pools), and the
 * replicas they run. Pure.
 *
 * @internal
 */
import {
  ActionStep,
  FALLBACK_ROLE,
  KubeObject,
  SPREAD_ROLE,
  WORKLOAD_ROLE_LABEL,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-common';

/** The name of a model's on-demand stand-in. */
export const fallbackName = (workload: string) => `${workload}-on-demand`;

/** The name of a model's spot companion on another spot pool of its cluster. */
export const spreadName = (workload: string, pool: string) =>
  `${workload}-on-${pool}`;

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
  return companionDeployment(rendered, fallbackName(workload), FALLBACK_ROLE);
}

/**
 * A companion Deployment of the model: its Deployment rendered for the
 * companion's pool, under its own name and `modelfleet.io/role` (see
 * {@link fallbackDeployment}), parked at zero.
 */
export function companionDeployment(
  rendered: readonly KubeObject[],
  name: string,
  roleName: typeof FALLBACK_ROLE | typeof SPREAD_ROLE,
): KubeObject | undefined {
  const d = rendered.find(o => o.kind === 'Deployment');
  if (!d) return undefined;
  const spec = JSON.parse(JSON.stringify(d.spec ?? {})) as any;
  const role = { [WORKLOAD_ROLE_LABEL]: roleName };
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
      name,
      labels: { ...d.metadata.labels, ...role },
    },
    spec,
  };
}

/** One companion's change: its Deployment, its pool's title, its replicas. */
export interface CompanionChange {
  /** The Deployment's name. */
  name: string;
  /** `on-demand` for the stand-in, `spot` for a spot companion. */
  capacity: 'on-demand' | 'spot';
  /** Its pool's title, for people. */
  title: string;
  /** The Deployment to create, when it does not exist yet. */
  create?: KubeObject;
  from: number;
  to: number;
}

/**
 * The steps taking each companion from `from` to `to` replicas: create it
 * parked when it does not exist yet, then scale it. Companions coming up
 * go first, those coming down last (make before break). Undone, each goes
 * back to `from` (unless someone else has changed its count since).
 */
export function planCompanionSteps(input: {
  cluster: string;
  namespace: string;
  changes: readonly CompanionChange[];
}): ActionStep[] {
  const steps: ActionStep[] = [];
  const ordered = [...input.changes].sort(
    (a, b) => Number(a.to < a.from) - Number(b.to < b.from),
  );
  for (const c of ordered) {
    if (c.to === c.from && !c.create) continue;
    const ref: WorkloadRef = {
      cluster: input.cluster,
      namespace: input.namespace,
      kind: 'Deployment',
      name: c.name,
    };
    const what =
      c.capacity === 'on-demand'
        ? 'on-demand stand-in'
        : `spot companion ${input.namespace}/${c.name}`;
    if (c.create) {
      steps.push({
        description:
          c.capacity === 'on-demand'
            ? `Create the on-demand stand-in ${input.namespace}/${c.name} on ${c.title}, parked at zero`
            : `Create the spot companion ${input.namespace}/${c.name} on ${c.title}, parked at zero`,
        do: { op: 'apply', cluster: input.cluster, objects: [c.create] },
      });
    }
    if (c.to === c.from) continue;
    let description = `Bring the ${what} up to ${plural(c.to)}`;
    if (c.to < c.from)
      description =
        c.capacity === 'on-demand'
          ? `Take the ${what} down to ${plural(c.to)}: spot serves again`
          : `Take the ${what} down to ${plural(c.to)}`;
    steps.push({
      description,
      do: { op: 'scale', workload: ref, replicas: c.to },
      undo: {
        op: 'scale',
        workload: ref,
        replicas: c.from,
        ifReplicas: c.to,
      },
    });
  }
  return steps;
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
  return planCompanionSteps({
    cluster: input.cluster,
    namespace: input.namespace,
    changes: [
      {
        name: fallbackName(input.workload),
        capacity: 'on-demand',
        title: input.onDemandTitle,
        ...(input.create ? { create: input.create } : {}),
        from: input.from,
        to: input.to,
      },
    ],
  });
}
