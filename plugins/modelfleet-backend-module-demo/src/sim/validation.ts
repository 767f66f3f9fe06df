import { isPlainObject, KubeObject } from './objects';
import { matchesLabelSelector } from './selectors';
import { ResourceType } from './resources';
import { invalid } from './status';

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Defaults the API server fills in, for the fields the simulation reads.
 * Applied on every write, so a re-apply of the same object is no change.
 */
export function applyDefaults(type: ResourceType, object: KubeObject): void {
  const spec = object.spec;
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/ReplicaSet':
      if (isPlainObject(spec) && spec.replicas === undefined) spec.replicas = 1;
      break;
    case '/Namespace':
      object.status = { phase: 'Active', ...object.status };
      break;
    case '/Pod':
      if (isPlainObject(spec)) {
        spec.restartPolicy = spec.restartPolicy ?? 'Always';
        spec.schedulerName = spec.schedulerName ?? 'default-scheduler';
      }
      object.status = { phase: 'Pending', ...object.status };
      break;
    default:
  }
}

/** Checks what the real API server would refuse with 422 Invalid. */
export function validate(
  type: ResourceType,
  object: KubeObject,
  before: KubeObject | undefined,
): void {
  const name = object.metadata?.name ?? '';
  const causes: Array<{ field: string; message: string }> = [];
  if (!name) {
    causes.push({
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else if (name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  for (const key of ['labels', 'annotations'] as const) {
    const map = object.metadata?.[key];
    if (map === undefined) continue;
    if (
      !isPlainObject(map) ||
      Object.values(map).some(v => typeof v !== 'string')
    ) {
      causes.push({
        field: `metadata.${key}`,
        message: 'Invalid value: values must be strings',
      });
    }
  }
  const spec = object.spec;
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment':
    case 'apps/StatefulSet':
    case 'apps/ReplicaSet': {
      const replicas = spec?.replicas;
      if (!Number.isInteger(replicas) || replicas < 0) {
        causes.push({
          field: 'spec.replicas',
          message: `Invalid value: ${JSON.stringify(
            replicas,
          )}: must be greater than or equal to 0`,
        });
      }
      const selector = spec?.selector;
      if (!isPlainObject(selector)) {
        causes.push({ field: 'spec.selector', message: 'Required value' });
      } else if (
        !matchesLabelSelector(selector, spec?.template?.metadata?.labels)
      ) {
        causes.push({
          field: 'spec.template.metadata.labels',
          message: `Invalid value: ${JSON.stringify(
            spec?.template?.metadata?.labels ?? {},
          )}: \`selector\` does not match template \`labels\``,
        });
      }
      if (
        before &&
        JSON.stringify(before.spec?.selector) !== JSON.stringify(selector)
      ) {
        causes.push({
          field: 'spec.selector',
          message: `Invalid value: ${JSON.stringify(
            selector,
          )}: field is immutable`,
        });
      }
      const containers = spec?.template?.spec?.containers;
      if (!Array.isArray(containers) || containers.length === 0) {
        causes.push({
          field: 'spec.template.spec.containers',
          message: 'Required value',
        });
      }
      break;
    }
    case '/Pod':
      if (!Array.isArray(spec?.containers) || spec.containers.length === 0) {
        causes.push({ field: 'spec.containers', message: 'Required value' });
      }
      break;
    case 'keda.sh/ScaledObject':
    case 'http.keda.sh/HTTPScaledObject':
      if (!spec?.scaleTargetRef?.name) {
        causes.push({
          field: 'spec.scaleTargetRef.name',
          message: 'Required value',
        });
      }
      break;
    case 'multicluster.x-k8s.io/ServiceExport':
      // The CRD's schema: an optional spec with two optional string maps.
      if (spec !== undefined && !isPlainObject(spec)) {
        causes.push({
          field: 'spec',
          message: `Invalid value: ${JSON.stringify(
            typeof spec,
          )}: spec in body must be of type object`,
        });
      }
      for (const key of ['exportedLabels', 'exportedAnnotations']) {
        const map = isPlainObject(spec) ? spec[key] : undefined;
        if (
          map !== undefined &&
          (!isPlainObject(map) ||
            Object.values(map).some(v => typeof v !== 'string'))
        ) {
          causes.push({
            field: `spec.${key}`,
            message: 'Invalid value: values must be strings',
          });
        }
      }
      break;
    default:
  }
  if (causes.length > 0) throw invalid(type, name, causes);
}
