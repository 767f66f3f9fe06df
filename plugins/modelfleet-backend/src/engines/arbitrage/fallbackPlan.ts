/**
 * The steps of a spot fallback (`spot-fallback` action): the model's
 * companions beside its own Deployment, each made from the model rendered
 * for its pool (the on-demand stand-in on an on-demand pool of the
 * model's cluster, spot companions on its other spot pools), and the
 * replicas they run. Pure.
 *
 * @internal
 */
import { serviceExportOf } from './serviceExport';
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

const AUTOSCALER_KINDS = new Set([
  'ScaledObject',
  'HTTPScaledObject',
  'HorizontalPodAutoscaler',
]);

/**
 * What a spot companion on another cluster than the model's needs there,
 * in apply order: the model's objects rendered for the companion's pool
 * (its Service, service account, configuration, network policy and
 * disruption budget; the volume claims the companion mounts) with the
 * companion in place of the model's Deployment, no autoscaler (the loop
 * sets its replicas), and a `ServiceExport` of the Service: Multi-Cluster
 * Services then sends the model's clients (at its `clusterset.local`
 * address) to its Ready replicas on every cluster that exports it.
 * Nothing when the rendering has no Service.
 */
export function remoteCompanionObjects(
  rendered: readonly KubeObject[],
  companion: KubeObject,
): KubeObject[] | undefined {
  const service = rendered.find(o => o.kind === 'Service');
  if (!service) return undefined;
  const claims = new Set(
    (((companion.spec as any)?.template?.spec?.volumes ?? []) as any[])
      .map(v => v.persistentVolumeClaim?.claimName)
      .filter(Boolean),
  );
  const out: KubeObject[] = [];
  for (const o of rendered) {
    if (AUTOSCALER_KINDS.has(o.kind)) continue;
    if (o.kind === 'PersistentVolumeClaim' && !claims.has(o.metadata.name))
      continue;
    out.push(o.kind === 'Deployment' ? companion : o);
  }
  const namespace = service.metadata.namespace ?? companion.metadata.namespace;
  out.push(serviceExportOf(namespace ?? 'default', service.metadata.name));
  return out;
}

/** One companion's change: its Deployment, its pool's title, its replicas. */
export interface CompanionChange {
  /** The Deployment's name. */
  name: string;
  /** Its cluster, when not the model's (a spread to another cluster). */
  cluster?: string;
  /**
   * Objects applied with its Deployment when it is created: on another
   * cluster, the Service and the rest {@link remoteCompanionObjects} names.
   */
  alongside?: KubeObject[];
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
  /**
   * The model's Service to export from its own cluster first, when a
   * companion on another cluster comes up and the Service is not exported
   * yet: its clients then reach the replicas of both.
   */
  exportHome?: string;
}): ActionStep[] {
  const steps: ActionStep[] = [];
  if (input.exportHome) {
    const object = serviceExportOf(input.namespace, input.exportHome);
    steps.push({
      description: `Export the Service ${input.namespace}/${input.exportHome} from cluster ${input.cluster} (Multi-Cluster Services): the model's clients reach its replicas on every cluster that exports it`,
      do: { op: 'apply', cluster: input.cluster, objects: [object] },
      undo: {
        op: 'remove',
        cluster: input.cluster,
        object: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          namespace: input.namespace,
          name: input.exportHome,
        },
      },
    });
  }
  const ordered = [...input.changes].sort(
    (a, b) => Number(a.to < a.from) - Number(b.to < b.from),
  );
  for (const c of ordered) {
    if (c.to === c.from && !c.create) continue;
    const cluster = c.cluster ?? input.cluster;
    const where = cluster === input.cluster ? '' : ` of cluster ${cluster}`;
    const ref: WorkloadRef = {
      cluster,
      namespace: input.namespace,
      kind: 'Deployment',
      name: c.name,
    };
    const what =
      c.capacity === 'on-demand'
        ? 'on-demand stand-in'
        : `spot companion ${input.namespace}/${c.name}${where}`;
    if (c.create) {
      steps.push({
        description:
          c.capacity === 'on-demand'
            ? `Create the on-demand stand-in ${input.namespace}/${c.name} on ${c.title}, parked at zero`
            : `Create the spot companion ${input.namespace}/${c.name} on ${
                c.title
              }, parked at zero${
                c.alongside?.length
                  ? ", with the model's Service exported from there"
                  : ''
              }`,
        do: {
          op: 'apply',
          cluster,
          objects: c.alongside?.length ? [...c.alongside] : [c.create],
        },
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
