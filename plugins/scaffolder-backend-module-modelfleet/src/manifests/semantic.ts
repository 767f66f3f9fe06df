import {
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  IANA_SVC_NAME,
  labelKeyProblem,
  labelValueProblem,
  show,
} from './labels';
import { knativeIssues } from './knativeRules';

/** A problem of one object: where (path segments) and what. */
export type Report = (
  segments: Array<string | number>,
  message: string,
) => void;

/** The items of a list, or none when it is no list. */
export const listOf = (value: unknown): any[] =>
  Array.isArray(value) ? value : [];

/** A JSON pointer (`/spec/template/spec`) of path segments. */
export const pointer = (segments: Array<string | number>) =>
  segments.length === 0
    ? ''
    : `/${segments
        .map(s => String(s).replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')}`;

/** How a list that names nothing looks: empty, absent, or its value. */
function describeList(list: unknown): string {
  if (Array.isArray(list)) return 'empty';
  if (list === undefined) return 'absent';
  return show(list);
}

/** Label keys and values the API server would refuse. */
export function checkLabels(
  labels: unknown,
  at: Array<string | number>,
  add: Report,
) {
  if (!labels || typeof labels !== 'object') return;
  for (const [k, v] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(k);
    if (keyProblem) add([...at, k], `label key ${keyProblem}`);
    const valueProblem = labelValueProblem(v);
    if (valueProblem) add([...at, k], `label value ${valueProblem}`);
  }
}

/**
 * The checks of a pod template (`spec.template` of a Deployment or a
 * Knative Service) the schemas do not make: its labels and node selector,
 * port names, mounts that find no volume, probes on ports the container
 * does not name.
 */
function podTemplateIssues(template: any, add: Report) {
  const base = ['spec', 'template'];
  checkLabels(template?.metadata?.labels, [...base, 'metadata', 'labels'], add);
  const podSpec = template?.spec ?? {};
  checkLabels(podSpec.nodeSelector, [...base, 'spec', 'nodeSelector'], add);
  const volumes = new Set(listOf(podSpec.volumes).map((v: any) => v?.name));
  // Where each name is, so a mount that finds no volume names them too:
  // the volume's name (or the list) may be the one that changed.
  const named = (list: unknown, at: Array<string | number>) =>
    Array.isArray(list) && list.length
      ? list
          .slice(0, 10)
          .map((x, i) => `${pointer([...at, i, 'name'])} ${show(x?.name)}`)
          .join(', ')
      : `${pointer(at)} is ${describeList(list)}`;
  for (const group of ['initContainers', 'containers'] as const) {
    listOf(podSpec[group]).forEach((c: any, i: number) => {
      if (!c || typeof c !== 'object') return;
      const at = [...base, 'spec', group, i];
      const portNames = new Set<string>();
      listOf(c.ports).forEach((p: any, j: number) => {
        if (p?.name === undefined) return;
        if (
          typeof p.name !== 'string' ||
          p.name.length > 15 ||
          !IANA_SVC_NAME.test(p.name)
        ) {
          add(
            [...at, 'ports', j, 'name'],
            `${show(
              p.name,
            )} must be an IANA service name (at most 15 of a-z, 0-9, "-")`,
          );
        }
        portNames.add(p.name);
      });
      listOf(c.volumeMounts).forEach((m: any, j: number) => {
        if (!volumes.has(m?.name)) {
          add(
            [...at, 'volumeMounts', j, 'name'],
            `no volume named ${show(m?.name)} in the pod (its volumes: ${named(
              podSpec.volumes,
              [...base, 'spec', 'volumes'],
            )})`,
          );
        }
      });
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
        if (typeof port === 'string' && !portNames.has(port)) {
          add(
            [...at, probe, c[probe].httpGet ? 'httpGet' : 'tcpSocket', 'port'],
            `no container port named ${show(port)} (its ports: ${named(
              c.ports,
              [...at, 'ports'],
            )})`,
          );
        }
      }
    });
  }
}

/** A Deployment's selector must select its own pod template. */
function selectorIssues(spec: any, add: Report) {
  const podLabels = spec.template?.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec.selector?.matchLabels ?? {})) {
    const label = Object.hasOwn(podLabels, k) ? podLabels[k] : undefined;
    if (label !== v) {
      // Either side may be the one that changed: name both.
      const templateLabel = pointer([
        'spec',
        'template',
        'metadata',
        'labels',
        k,
      ]);
      add(
        ['spec', 'selector', 'matchLabels', k],
        `selector does not match the pod template labels: ${show(v)} here, ${
          label === undefined
            ? `no ${templateLabel}`
            : `${show(label)} at ${templateLabel}`
        }`,
      );
    }
  }
}

/**
 * What the HTTP add-on needs beyond its CRD's schema: the workload to
 * scale by name (the v0.8+ form), paths it can match.
 */
function httpScaledObjectIssues(spec: any, add: Report) {
  const name = spec?.scaleTargetRef?.name;
  if (typeof name !== 'string' || name === '') {
    add(
      ['spec', 'scaleTargetRef', 'name'],
      'is required: the Deployment the add-on scales',
    );
  }
  listOf(spec?.pathPrefixes).forEach((p: unknown, i: number) => {
    if (typeof p === 'string' && !p.startsWith('/')) {
      add(['spec', 'pathPrefixes', i], `${show(p)} must start with "/"`);
    }
  });
}

const isKnativeService = (obj: any) =>
  obj?.kind === 'Service' &&
  typeof obj?.apiVersion === 'string' &&
  obj.apiVersion.startsWith('serving.knative.dev/');

/**
 * Checks the API server (and, for a Knative Service, Knative's webhook)
 * makes that the OpenAPI schemas do not express. Paths are segments.
 */
export function semanticIssues(
  obj: any,
): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  const add: Report = (segments, message) =>
    issues.push({ path: pointer(segments), message });

  const name = obj?.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    add(['metadata', 'name'], 'is required');
  } else if (
    obj?.kind === 'Service' &&
    (name.length > 63 || !DNS1035_LABEL.test(name))
  ) {
    add(
      ['metadata', 'name'],
      `"${name}" must be a DNS-1035 label (a-z, 0-9, "-", starting with a letter, at most 63)`,
    );
  } else if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    add(['metadata', 'name'], `"${name}" must be a DNS-1123 subdomain`);
  }
  const ns = obj?.metadata?.namespace;
  if (
    ns !== undefined &&
    (typeof ns !== 'string' || ns.length > 63 || !DNS1123_LABEL.test(ns))
  ) {
    add(['metadata', 'namespace'], `${show(ns)} must be a DNS-1123 label`);
  }
  checkLabels(obj?.metadata?.labels, ['metadata', 'labels'], add);

  if (obj?.kind === 'Deployment') {
    const spec = obj.spec ?? {};
    selectorIssues(spec, add);
    podTemplateIssues(spec.template, add);
  } else if (isKnativeService(obj)) {
    podTemplateIssues(obj.spec?.template, add);
    knativeIssues(obj, add);
  } else if (obj?.kind === 'HTTPScaledObject') {
    httpScaledObjectIssues(obj.spec, add);
  }
  return issues;
}
