import {
  KubeObject,
  MAX_MODEL_REPLICAS,
  MODEL_WORKLOAD_LABEL,
} from '@modelfleet/plugin-modelfleet-common';
import {
  at,
  checkNumbers,
  checkSelector,
  checkStringMaps,
  MAX_MANIFEST_DEPTH,
  tooDeepAt,
} from './shape';

/**
 * One reason a deployment is refused: the object (`Deployment/chat`, or
 * `namespace` for the request itself) and its position among the
 * manifests, the field and why, in words.
 */
export interface DeployRefusal {
  object: string;
  /** The object's index in the request's `manifests`; none for the request itself. */
  index?: number;
  path: string;
  reason: string;
}

/**
 * A value of the request quoted in a reason: a string cut short (a
 * 20,000-character kind is not repeated whole), a number as is, anything
 * else by its type (an object whose `toString` is no function cannot even
 * be turned into a string).
 */
function quote(v: unknown): string {
  if (typeof v === 'string') return v.length > 80 ? `${v.slice(0, 80)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** What the guard checks a deployment against. */
export interface DeployGuardInput {
  /** The model's namespace: every object must be in it. */
  namespace: string;
  /**
   * The model's name: every object is named after it (`chat`,
   * `chat-model-cache`) and, when labelled `modelfleet.io/model`, labelled
   * with it, so one team's deployment cannot take over another model's
   * objects in a shared namespace.
   */
  model: string;
  objects: KubeObject[];
  /** The apiVersion and kind pairs a model deployment may contain. */
  allowedKinds: ReadonlyArray<{ apiVersion: string; kind: string }>;
  /**
   * Namespaces no model goes to: exact names, or a prefix ending in `*`
   * (`openshift-*`).
   */
  deniedNamespaces: readonly string[];
}

/**
 * Kinds without a namespace. A model deployment has none of them: each
 * reaches past the model's namespace (RBAC for the whole cluster, storage,
 * admission webhooks, the namespaces themselves).
 */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PriorityClass',
  'RuntimeClass',
  'APIService',
  'CSIDriver',
  'IngressClass',
  'ClusterIssuer',
  'ClusterTriggerAuthentication',
]);

/**
 * Where each workload kind keeps its pod spec. A Map, not an object: the
 * kind is the caller's string (`constructor` must not find a function).
 */
const POD_SPEC_PATHS = new Map<string, string[]>([
  ['Pod', ['spec']],
  ['Deployment', ['spec', 'template', 'spec']],
  ['StatefulSet', ['spec', 'template', 'spec']],
  ['DaemonSet', ['spec', 'template', 'spec']],
  ['ReplicaSet', ['spec', 'template', 'spec']],
  ['ReplicationController', ['spec', 'template', 'spec']],
  ['Job', ['spec', 'template', 'spec']],
  ['PodTemplate', ['template', 'spec']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];

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
]);

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a namespace is on the deny list (exact, or `prefix*`). */
export function isDeniedNamespace(
  namespace: string,
  denied: readonly string[],
): boolean {
  return denied.some(d =>
    d.endsWith('*') ? namespace.startsWith(d.slice(0, -1)) : d === namespace,
  );
}

/** The pod spec of an object and its path, when it has one. */
function podSpecOf(
  o: KubeObject,
): { spec: Record<string, any>; path: string } | undefined {
  const known = POD_SPEC_PATHS.get(o.kind);
  // Unknown workload kinds (a Rollout, a KServe predictor…) are refused by
  // the kind check; their pod template is checked too when it is where
  // the built-in controllers keep it, so every reason is reported at once.
  const path = known ?? ['spec', 'template', 'spec'];
  const spec = at(o, path);
  if (!isObject(spec)) return undefined;
  if (!known && !Array.isArray(spec.containers)) return undefined;
  return { spec, path: path.join('.') };
}

function checkReplicaCounts(
  o: KubeObject,
  refuse: (path: string, reason: string) => void,
) {
  for (const path of REPLICA_COUNTS.get(o.kind) ?? []) {
    const n = at(o, path);
    // Absent, or not finite (refused by checkNumbers already).
    if (typeof n !== 'number' || !Number.isFinite(n)) continue;
    if (!Number.isInteger(n) || n < 0 || n > MAX_MODEL_REPLICAS) {
      refuse(
        path.join('.'),
        `${n} replicas: must be a whole number from 0 to ${MAX_MODEL_REPLICAS}`,
      );
    }
  }
}

function checkPodSpec(
  spec: Record<string, any>,
  base: string,
  refuse: (path: string, reason: string) => void,
) {
  const hostNamespaces: Array<[string, string]> = [
    ['hostNetwork', "shares the node's network namespace"],
    ['hostPID', "shares the node's process namespace"],
    ['hostIPC', "shares the node's IPC namespace"],
  ];
  for (const [field, what] of hostNamespaces) {
    if (spec[field] === true) {
      refuse(`${base}.${field}`, `the pod ${what}`);
    }
  }
  if (spec.securityContext?.windowsOptions?.hostProcess === true) {
    refuse(
      `${base}.securityContext.windowsOptions.hostProcess`,
      'the pod runs as a Windows host process',
    );
  }
  const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.forEach((v: unknown, i: number) => {
    if (isObject(v) && v.hostPath !== undefined) {
      refuse(
        `${base}.volumes[${i}].hostPath`,
        `volume '${quote(v.name ?? i)}' mounts the node's filesystem${
          typeof v.hostPath?.path === 'string' ? ` (${v.hostPath.path})` : ''
        } (hostPath)`,
      );
    }
  });
  for (const list of CONTAINER_LISTS) {
    const containers = Array.isArray(spec[list]) ? spec[list] : [];
    containers.forEach((c: unknown, i: number) => {
      if (!isObject(c)) return;
      const path = `${base}.${list}[${i}]`;
      const name = `container '${quote(c.name ?? i)}'`;
      const sc = isObject(c.securityContext) ? c.securityContext : {};
      if (sc.privileged === true) {
        refuse(
          `${path}.securityContext.privileged`,
          `${name} is privileged (root on the node)`,
        );
      }
      if (sc.allowPrivilegeEscalation === true) {
        refuse(
          `${path}.securityContext.allowPrivilegeEscalation`,
          `${name} may gain more privileges than its parent process`,
        );
      }
      const added = Array.isArray(sc.capabilities?.add)
        ? sc.capabilities.add
        : [];
      if (added.length) {
        // A model server needs no Linux capability; SYS_ADMIN, NET_ADMIN
        // or ALL would reach the node.
        refuse(
          `${path}.securityContext.capabilities.add`,
          `${name} adds Linux capabilities (${added
            .map(quote)
            .join(', ')}); a model server needs none`,
        );
      }
      if (sc.windowsOptions?.hostProcess === true) {
        refuse(
          `${path}.securityContext.windowsOptions.hostProcess`,
          `${name} runs as a Windows host process`,
        );
      }
      const ports = Array.isArray(c.ports) ? c.ports : [];
      ports.forEach((p: unknown, j: number) => {
        if (isObject(p) && p.hostPort !== undefined && p.hostPort !== 0) {
          refuse(
            `${path}.ports[${j}].hostPort`,
            `${name} binds port ${quote(p.hostPort)} on the node (hostPort)`,
          );
        }
      });
    });
  }
}

/**
 * Refuses an apiVersion and kind pair outside the rendered set: on
 * `apiVersion` when the kind is one a model is made of (`apps/v2
 * Deployment`), on `kind` otherwise.
 */
function checkKind(
  o: KubeObject,
  kind: string,
  allowedKinds: DeployGuardInput['allowedKinds'],
  refuse: (path: string, reason: string) => void,
) {
  if (
    allowedKinds.some(k => k.apiVersion === o?.apiVersion && k.kind === kind)
  ) {
    return;
  }
  const versions = allowedKinds
    .filter(k => k.kind === kind)
    .map(k => k.apiVersion);
  if (versions.length) {
    refuse(
      'apiVersion',
      `a ${kind} of a model deployment is ${versions.join(' or ')}`,
    );
    return;
  }
  refuse(
    'kind',
    `${quote(o?.apiVersion ?? '(no apiVersion)')} ${quote(
      kind,
    )} is not one of the kinds a model deployment is made of (${allowedKinds
      .map(k => k.kind)
      .join(', ')})`,
  );
}

/**
 * Every reason to refuse a model deployment, or none. Pure: it reads the
 * objects and returns the refusals, object by object, in order.
 *
 * A model deployment never needs: objects outside the model's namespace
 * or without one (cluster-scoped kinds), objects not named or labelled
 * after the model, kinds outside the rendered set,
 * privileged or privilege-escalating containers, added capabilities, the
 * node's network, process or IPC namespaces, hostPath volumes, host ports,
 * a namespace on the deny list, numbers that are not finite, replica
 * counts above MAX_MODEL_REPLICAS, labels, annotations or selectors that
 * are not maps of strings (or select what the pod template lacks), or
 * nesting deeper than MAX_MANIFEST_DEPTH: all checked before any cluster
 * call, named by the field of the request (`manifests[1].apiVersion`).
 */
export function guardDeployment(input: DeployGuardInput): DeployRefusal[] {
  const refusals: DeployRefusal[] = [];
  if (isDeniedNamespace(input.namespace, input.deniedNamespaces)) {
    refusals.push({
      object: 'namespace',
      path: 'namespace',
      reason: `'${input.namespace}' is on the deny list of namespaces no model is deployed to`,
    });
  }
  input.objects.forEach((o, index) => {
    const kind = typeof o?.kind === 'string' ? o.kind : '(no kind)';
    const name =
      typeof o?.metadata?.name === 'string' ? o.metadata.name : `#${index}`;
    const object = `${quote(kind)}/${quote(name)}`;
    const refuse = (path: string, reason: string) =>
      refusals.push({ object, index, path, reason });

    if (CLUSTER_SCOPED.has(kind)) {
      refuse(
        'kind',
        `${kind} is cluster-scoped: it reaches beyond the model's namespace`,
      );
    }
    checkKind(o, kind, input.allowedKinds, refuse);
    const ns = o?.metadata?.namespace;
    if (!CLUSTER_SCOPED.has(kind) && ns !== input.namespace) {
      refuse(
        'metadata.namespace',
        ns === undefined
          ? `no namespace; it must be the model's namespace '${input.namespace}'`
          : `'${quote(ns)}' is not the model's namespace '${input.namespace}'${
              typeof ns === 'string' &&
              isDeniedNamespace(ns, input.deniedNamespaces)
                ? ', and is on the deny list'
                : ''
            }`,
      );
    }
    const objName = o?.metadata?.name;
    if (
      typeof objName === 'string' &&
      objName !== input.model &&
      !objName.startsWith(`${input.model}-`)
    ) {
      refuse(
        'metadata.name',
        `'${quote(objName)}' is not named after the model '${input.model}' (${
          input.model
        } or ${input.model}-…)`,
      );
    }
    const label = o?.metadata?.labels?.[MODEL_WORKLOAD_LABEL];
    if (label !== undefined && label !== input.model) {
      refuse(
        `metadata.labels.${MODEL_WORKLOAD_LABEL}`,
        `labels the object as model '${quote(label)}', not '${input.model}'`,
      );
    }
    checkStringMaps(o?.metadata, 'metadata', refuse);
    const pod = podSpecOf(o);
    if (pod) {
      const template = pod.path.replace(/(^|\.)spec$/, '$1metadata');
      if (template !== 'metadata') {
        checkStringMaps(at(o, template.split('.')), template, refuse);
        checkSelector(o, `${template}.labels`, refuse);
      }
      checkPodSpec(pod.spec, pod.path, refuse);
    }
    const deep = tooDeepAt(o);
    if (deep !== undefined) {
      refuse(deep, `nested more than ${MAX_MANIFEST_DEPTH} levels deep`);
    } else {
      // Only a bounded object is walked for numbers: a path 5,000 levels
      // deep is no message.
      checkNumbers(o, refuse);
    }
    checkReplicaCounts(o, refuse);
  });
  return refusals;
}

/**
 * The refusals as one sentence per refusal, for an error message, each
 * naming its field as the request has it (`manifests[1].apiVersion`).
 */
export function formatRefusals(refusals: DeployRefusal[]): string {
  return refusals
    .map(r =>
      r.index === undefined
        ? `${r.path}: ${r.reason}`
        : `manifests[${r.index}].${r.path} (${r.object}): ${r.reason}`,
    )
    .join('; ');
}
