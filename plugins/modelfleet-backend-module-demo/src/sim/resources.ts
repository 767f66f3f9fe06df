/**
 * The resource types the simulated API server serves, as its discovery
 * documents describe them.
 */

/** A resource type of the simulated API server. */
export interface ResourceType {
  /** API group; '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The resource name in paths, e.g. `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** `scale` (spec.replicas) and `status` subresources. */
  scale?: boolean;
  status?: boolean;
  /** The `proxy` subresource (pods: the pod proxy). */
  proxy?: boolean;
  /** The `eviction` subresource (pods: a `policy/v1` Eviction). */
  eviction?: boolean;
}

/** The verbs of a served collection. */
export const RESOURCE_VERBS = [
  'create',
  'delete',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

const core = (
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  ...extra,
});

const grouped = (
  groupVersion: string,
  kind: string,
  plural: string,
  extra: Partial<ResourceType> = {},
): ResourceType => {
  const [group, version] = groupVersion.split('/');
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    ...extra,
  };
};

/**
 * Everything served. Some are here only so that other readers (the
 * Backstage Kubernetes plugin lists replica sets, jobs, ingresses, …) get
 * an empty list rather than an error; nothing in the simulation makes them.
 */
export const RESOURCE_TYPES: ResourceType[] = [
  core('Namespace', 'namespaces', false, { shortNames: ['ns'], status: true }),
  core('Node', 'nodes', false, { shortNames: ['no'], status: true }),
  core('Pod', 'pods', true, {
    shortNames: ['po'],
    status: true,
    proxy: true,
    eviction: true,
  }),
  core('Service', 'services', true, { shortNames: ['svc'], status: true }),
  core('ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] }),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    status: true,
  }),
  core('Event', 'events', true, { shortNames: ['ev'] }),
  core('ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  core('Secret', 'secrets', true),
  core('LimitRange', 'limitranges', true, { shortNames: ['limits'] }),
  core('ResourceQuota', 'resourcequotas', true, {
    shortNames: ['quota'],
    status: true,
  }),
  grouped('apps/v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    scale: true,
    status: true,
  }),
  grouped('apps/v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    scale: true,
    status: true,
  }),
  grouped('apps/v1', 'ReplicaSet', 'replicasets', {
    shortNames: ['rs'],
    scale: true,
    status: true,
  }),
  grouped('apps/v1', 'DaemonSet', 'daemonsets', {
    shortNames: ['ds'],
    status: true,
  }),
  grouped('batch/v1', 'Job', 'jobs', { status: true }),
  grouped('batch/v1', 'CronJob', 'cronjobs', {
    shortNames: ['cj'],
    status: true,
  }),
  grouped(
    'autoscaling/v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    {
      shortNames: ['hpa'],
      status: true,
    },
  ),
  grouped('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', {
    shortNames: ['pdb'],
    status: true,
  }),
  grouped('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', {
    shortNames: ['netpol'],
  }),
  grouped('networking.k8s.io/v1', 'Ingress', 'ingresses', {
    shortNames: ['ing'],
    status: true,
  }),
  grouped('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  grouped('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  grouped('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', {
    namespaced: false,
  }),
  grouped(
    'rbac.authorization.k8s.io/v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
    { namespaced: false },
  ),
  grouped('keda.sh/v1alpha1', 'ScaledObject', 'scaledobjects', {
    shortNames: ['so'],
    status: true,
  }),
  grouped('http.keda.sh/v1alpha1', 'HTTPScaledObject', 'httpscaledobjects', {
    shortNames: ['httpso'],
    status: true,
  }),
  // Kubernetes Multi-Cluster Services (KEP-1645): a Service exported to
  // the cluster set. The simulated fleet routes a model's traffic to the
  // clusters that export its Service (see serviceExports.ts).
  grouped('multicluster.x-k8s.io/v1alpha1', 'ServiceExport', 'serviceexports', {
    shortNames: ['svcexport', 'svcex'],
    status: true,
  }),
  grouped(
    'serving.kserve.io/v1beta1',
    'InferenceService',
    'inferenceservices',
    {
      shortNames: ['isvc'],
      status: true,
    },
  ),
];

/** `deployments.apps`, or `pods` in the core group: how Kubernetes names a resource in messages. */
export function qualifiedName(type: { plural: string; group: string }): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `apps/v1`, or `v1` in the core group. */
export function apiVersionOf(type: { group: string; version: string }): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The registry of served types, found by path segments or by kind. */
export class ResourceRegistry {
  private readonly byPath = new Map<string, ResourceType>();
  private readonly byKind = new Map<string, ResourceType>();

  constructor(readonly types: ResourceType[] = RESOURCE_TYPES) {
    for (const t of types) {
      this.byPath.set(`${t.group}/${t.version}/${t.plural}`, t);
      this.byKind.set(`${apiVersionOf(t)}/${t.kind}`, t);
    }
  }

  /** The type served at `/apis/<group>/<version>/<plural>`. */
  find(group: string, version: string, plural: string) {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** The type of an object's apiVersion and kind. */
  forKind(apiVersion: string, kind: string): ResourceType | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  /** The type of a resource in the first served version of a group. */
  byResource(group: string, plural: string): ResourceType | undefined {
    return this.types.find(t => t.group === group && t.plural === plural);
  }

  /** Group versions served, in order. */
  groupVersions(): Array<{ group: string; version: string }> {
    const seen = new Map<string, { group: string; version: string }>();
    for (const t of this.types) {
      seen.set(`${t.group}/${t.version}`, {
        group: t.group,
        version: t.version,
      });
    }
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.types.filter(t => t.group === group && t.version === version);
  }
}

/** The key of a type in the store, e.g. `apps/deployments`. */
export const typeKey = (type: { group: string; plural: string }) =>
  `${type.group}/${type.plural}`;
