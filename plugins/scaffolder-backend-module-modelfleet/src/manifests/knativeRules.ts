import { show } from './labels';
import type { Report } from './semantic';

/*
 * What Knative Serving's webhook refuses in a Service that the OpenAPI
 * schema (@kubernetes-models/knative) accepts, from knative/serving's
 * pkg/apis/serving (fieldmask.go, k8s_validation.go) and
 * pkg/apis/autoscaling (annotation_validation.go).
 */

/** Pod fields a revision never takes (Knative runs and drains the pod). */
const POD_FIELDS_REFUSED = [
  'terminationGracePeriodSeconds',
  'activeDeadlineSeconds',
  'restartPolicy',
  'dnsPolicy',
  'nodeName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'shareProcessNamespace',
  'hostname',
  'subdomain',
  'priority',
  'dnsConfig',
  'readinessGates',
];

/** Container fields a revision never takes. */
const CONTAINER_FIELDS_REFUSED = [
  'lifecycle',
  'stdin',
  'stdinOnce',
  'tty',
  'volumeDevices',
];

/** Pod security context fields Knative passes through (kubernetes.podspec-securitycontext). */
const POD_SECURITY_FIELDS = new Set([
  'fsGroup',
  'runAsGroup',
  'runAsNonRoot',
  'supplementalGroups',
  'runAsUser',
  'seccompProfile',
]);

/** Mount paths the queue-proxy and the runtime contract keep. */
const RESERVED_PATHS = new Set([
  '/',
  '/dev',
  '/dev/log',
  '/tmp',
  '/var',
  '/var/log',
]);

/** Ports of the queue-proxy (and profiling) in every revision's pod. */
const RESERVED_PORTS = new Set([8012, 8013, 8022, 9090, 9091, 8008]);

/** The longest window or pod retention Knative's autoscaler takes, seconds. */
const WINDOW_MAX_SECONDS = 3600;

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/** A Go duration (`1800s`, `1h30m`) in seconds, or undefined. */
export function parseGoDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || !GO_DURATION.test(value)) return undefined;
  let total = 0;
  for (const [, n, , unit] of value.matchAll(
    /([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g,
  )) {
    total += Number(n) * UNIT_SECONDS[unit];
  }
  return total;
}

const wholeNumber = (v: unknown) =>
  typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;

/** The checks of a Knative Service's revision template. */
export function knativeIssues(obj: any, add: Report) {
  const template = obj?.spec?.template ?? {};
  const spec = template.spec ?? {};
  const at = ['spec', 'template', 'spec'];

  for (const field of POD_FIELDS_REFUSED) {
    if (spec[field] !== undefined) {
      add([...at, field], 'Knative does not let a revision set it');
    }
  }
  for (const field of Object.keys(spec.securityContext ?? {})) {
    if (!POD_SECURITY_FIELDS.has(field)) {
      add(
        [...at, 'securityContext', field],
        'Knative does not let a revision set it',
      );
    }
  }

  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  const ports = containers.flatMap((c: any, i: number) =>
    (Array.isArray(c?.ports) ? c.ports : []).map((p: any, j: number) => ({
      p,
      path: [...at, 'containers', i, 'ports', j],
    })),
  );
  if (ports.length !== 1) {
    add(
      [...at, 'containers'],
      `a revision has exactly one container port, the one requests arrive on (found ${ports.length})`,
    );
  }
  for (const { p, path } of ports) {
    if (p?.name !== undefined && !['http1', 'h2c', ''].includes(p.name)) {
      add([...path, 'name'], `${show(p.name)} must be http1 or h2c`);
    }
    if (RESERVED_PORTS.has(p?.containerPort)) {
      add(
        [...path, 'containerPort'],
        `${p.containerPort} is a port of the queue-proxy`,
      );
    }
  }
  for (const group of ['initContainers', 'containers']) {
    (Array.isArray(spec[group]) ? spec[group] : []).forEach(
      (c: any, i: number) => {
        if (!c || typeof c !== 'object') return;
        for (const field of CONTAINER_FIELDS_REFUSED) {
          if (c[field] !== undefined) {
            add(
              [...at, group, i, field],
              'Knative does not let a revision set it',
            );
          }
        }
        (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).forEach(
          (m: any, j: number) => {
            const path =
              typeof m?.mountPath === 'string'
                ? m.mountPath.replace(/\/+$/, '') || '/'
                : undefined;
            if (path && RESERVED_PATHS.has(path)) {
              add(
                [...at, group, i, 'volumeMounts', j, 'mountPath'],
                `${show(m.mountPath)} is a path Knative reserves`,
              );
            }
          },
        );
      },
    );
  }

  const { timeoutSeconds, responseStartTimeoutSeconds } = spec;
  if (
    typeof timeoutSeconds === 'number' &&
    typeof responseStartTimeoutSeconds === 'number' &&
    responseStartTimeoutSeconds > timeoutSeconds
  ) {
    add(
      [...at, 'responseStartTimeoutSeconds'],
      `${responseStartTimeoutSeconds} is longer than timeoutSeconds (${timeoutSeconds})`,
    );
  }

  const annotations = template.metadata?.annotations ?? {};
  const annotationAt = (key: string) => [
    'spec',
    'template',
    'metadata',
    'annotations',
    key,
  ];
  const scale: Record<string, number | undefined> = {};
  for (const key of ['min-scale', 'max-scale', 'initial-scale']) {
    const full = `autoscaling.knative.dev/${key}`;
    if (annotations[full] === undefined) continue;
    scale[key] = wholeNumber(annotations[full]);
    if (scale[key] === undefined) {
      add(
        annotationAt(full),
        `${show(annotations[full])} must be a whole number`,
      );
    }
  }
  if (
    scale['min-scale'] !== undefined &&
    scale['max-scale'] !== undefined &&
    scale['max-scale'] !== 0 &&
    scale['min-scale'] > scale['max-scale']
  ) {
    add(
      annotationAt('autoscaling.knative.dev/min-scale'),
      `${scale['min-scale']} is above max-scale (${scale['max-scale']})`,
    );
  }
  for (const key of [
    'autoscaling.knative.dev/scale-to-zero-pod-retention-period',
    'autoscaling.knative.dev/window',
  ]) {
    if (annotations[key] === undefined) continue;
    const seconds = parseGoDuration(annotations[key]);
    if (seconds === undefined || seconds > WINDOW_MAX_SECONDS) {
      add(
        annotationAt(key),
        `${show(annotations[key])} must be a duration of at most 1h`,
      );
    }
  }
}
