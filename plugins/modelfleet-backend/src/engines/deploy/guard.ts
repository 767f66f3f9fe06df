import {
  KubeObject,
  MODEL_WORKLOAD_LABEL,
} from '@modelfleet/plugin-modelfleet-common';
import { checkPodSpec, podSpecOf } from './guardPod';
import { checkReplicaCounts, checkScalingTargets } from './guardScaling';
import {
  at,
  checkNumbers,
  checkSelector,
  checkStringMaps,
  MAX_MANIFEST_DEPTH,
  quote,
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

/** Whether a namespace is on the deny list (exact, or `prefix*`). */
export function isDeniedNamespace(
  namespace: string,
  denied: readonly string[],
): boolean {
  return denied.some(d =>
    d.endsWith('*') ? namespace.startsWith(d.slice(0, -1)) : d === namespace,
  );
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
    )} is not one of the kinds a model deployment is made of (${[
      ...new Set(allowedKinds.map(k => k.kind)),
    ].join(', ')})`,
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
 * node's network, process or IPC namespaces, hostPath volumes, host ports
 * (in the pod of a Deployment, a Knative Service or any workload kind),
 * a namespace on the deny list, numbers that are not finite, replica
 * counts above MAX_MODEL_REPLICAS (or an unbounded HTTPScaledObject or
 * Knative Service), autoscalers or request routes reaching objects or
 * hosts that are not the model's, labels, annotations or selectors that
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
    checkScalingTargets(o, input.model, input.namespace, refuse);
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
