import {
  ACTION_STEP_ANNOTATION,
  ActuatorError,
  AutoscalerRef,
  KubeObject,
  WorkloadRef,
} from '@modelfleet/plugin-modelfleet-node';

/** The KEDA annotation that pauses an autoscaler at a replica count. */
export const PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';

const WORKLOAD_PLURALS: Record<WorkloadRef['kind'], string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
};

/** The KEDA autoscalers, and the field of each that holds the keep-alive. */
export const AUTOSCALERS: Record<
  AutoscalerRef['kind'],
  { group: string; version: string; plural: string; keepAliveField: string }
> = {
  ScaledObject: {
    group: 'keda.sh',
    version: 'v1alpha1',
    plural: 'scaledobjects',
    keepAliveField: 'cooldownPeriod',
  },
  HTTPScaledObject: {
    group: 'http.keda.sh',
    version: 'v1alpha1',
    plural: 'httpscaledobjects',
    keepAliveField: 'scaledownPeriod',
  },
};

const segment = (value: string) => encodeURIComponent(value);

function invalid(cluster: string, what: string, problem: string): never {
  throw new ActuatorError('invalid', `${cluster}: ${what}: ${problem}`);
}

function checkName(
  cluster: string,
  what: string,
  ref: { namespace: string; name: string },
) {
  if (!ref.namespace) invalid(cluster, what, 'the namespace is missing');
  if (!ref.name) invalid(cluster, what, 'the name is missing');
}

/** How errors name a workload or autoscaler, e.g. `Deployment ml/chat`. */
export const describeRef = (ref: {
  kind: string;
  namespace: string;
  name: string;
}) => `${ref.kind} ${ref.namespace}/${ref.name}`;

/** How errors name an object, e.g. `Deployment ml/chat` or `Namespace ml`. */
export const describeObject = (ref: {
  kind?: string;
  namespace?: string;
  name?: string;
}) =>
  `${ref.kind ?? 'object'} ${ref.namespace ? `${ref.namespace}/` : ''}${
    ref.name ?? '(no name)'
  }`;

/** `/apis/apps/v1/namespaces/<ns>/deployments/<name>`, or statefulsets. */
export function workloadPath(ref: WorkloadRef): string {
  const plural = WORKLOAD_PLURALS[ref.kind];
  if (!plural) {
    invalid(
      ref.cluster,
      describeRef(ref),
      'the workload is not a Deployment or StatefulSet',
    );
  }
  checkName(ref.cluster, describeRef(ref), ref);
  return `/apis/apps/v1/namespaces/${segment(
    ref.namespace,
  )}/${plural}/${segment(ref.name)}`;
}

/** The path of a ScaledObject or HTTPScaledObject, and where its keep-alive is. */
export function autoscalerPath(ref: AutoscalerRef): {
  path: string;
  keepAliveField: string;
} {
  const type = AUTOSCALERS[ref.kind];
  if (!type) {
    invalid(
      ref.cluster,
      describeRef(ref),
      'the autoscaler is not a ScaledObject or HTTPScaledObject',
    );
  }
  checkName(ref.cluster, describeRef(ref), ref);
  return {
    path: `/apis/${type.group}/${type.version}/namespaces/${segment(
      ref.namespace,
    )}/${type.plural}/${segment(ref.name)}`,
    keepAliveField: type.keepAliveField,
  };
}

/** Throws unless `value` is a whole number of at least 0. */
export function checkCount(
  cluster: string,
  what: string,
  label: string,
  value: number,
) {
  if (!Number.isSafeInteger(value) || value < 0) {
    invalid(
      cluster,
      what,
      `${label} must be a whole number of at least 0, not ${value}`,
    );
  }
}

/**
 * Metadata the API server sets, left out of an applied object: a
 * `resourceVersion` would make the apply fail with 409 Conflict once the
 * object changed (objects of a planned action are applied later), and the
 * server refuses `managedFields` in an apply.
 */
const SERVER_METADATA = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/**
 * The body of a server-side apply of `object`: a copy without the
 * server's metadata, with the action step annotation when one is given.
 */
export function applyBody(
  cluster: string,
  object: KubeObject,
  actionStep?: string,
): KubeObject {
  const what = describeObject({ ...object, ...object?.metadata });
  if (!object?.apiVersion) invalid(cluster, what, 'apiVersion is missing');
  if (!object.kind) invalid(cluster, what, 'kind is missing');
  if (!object.metadata?.name)
    invalid(cluster, what, 'metadata.name is missing');
  const body: KubeObject = JSON.parse(JSON.stringify(object));
  for (const key of SERVER_METADATA) delete body.metadata[key];
  if (actionStep) {
    body.metadata.annotations = {
      ...body.metadata.annotations,
      [ACTION_STEP_ANNOTATION]: actionStep,
    };
  }
  return body;
}
