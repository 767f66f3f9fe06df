import { loadKubernetesModels } from './kubernetesModels';

/**
 * One problem found in a rendered manifest.
 *
 * @public
 */
export interface ManifestIssue {
  /** The object, as `<Kind>/<name>` (e.g. `Deployment/llama-3-8b`). */
  object: string;
  /** JSON pointer of the offending field (e.g. `/spec/template/spec/containers/0/image`). */
  path: string;
  message: string;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const pointer = (segments: Array<string | number>) =>
  segments.length === 0
    ? ''
    : `/${segments
        .map(s => String(s).replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')}`;

function labelKeyProblem(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'has more than one "/"';
  const [prefix, name] = parts.length === 2 ? parts : [undefined, parts[0]];
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
  ) {
    return `prefix "${prefix}" must be a DNS-1123 subdomain`;
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return `name "${name}" must be at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}

function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value === '') return undefined;
  if (value.length > 63 || !LABEL_NAME.test(value)) {
    return `"${value}" must be at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric`;
  }
  return undefined;
}

/** Checks the API server makes that the OpenAPI schemas do not express. */
function semanticIssues(obj: any): Array<Omit<ManifestIssue, 'object'>> {
  const issues: Array<Omit<ManifestIssue, 'object'>> = [];
  const add = (segments: Array<string | number>, message: string) =>
    issues.push({ path: pointer(segments), message });

  const checkLabels = (labels: unknown, at: Array<string | number>) => {
    if (!labels || typeof labels !== 'object') return;
    for (const [k, v] of Object.entries(labels)) {
      const keyProblem = labelKeyProblem(k);
      if (keyProblem) add([...at, k], `label key ${keyProblem}`);
      const valueProblem = labelValueProblem(v);
      if (valueProblem) add([...at, k], `label value ${valueProblem}`);
    }
  };

  const name = obj?.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    add(['metadata', 'name'], 'is required');
  } else if (
    obj.kind === 'Service' &&
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
    add(['metadata', 'namespace'], `"${ns}" must be a DNS-1123 label`);
  }
  checkLabels(obj?.metadata?.labels, ['metadata', 'labels']);

  if (obj.kind === 'Deployment') {
    const spec = obj.spec ?? {};
    const template = spec.template ?? {};
    const podLabels = template.metadata?.labels ?? {};
    checkLabels(podLabels, ['spec', 'template', 'metadata', 'labels']);
    for (const [k, v] of Object.entries(spec.selector?.matchLabels ?? {})) {
      if (podLabels[k] !== v) {
        add(
          ['spec', 'selector', 'matchLabels', k],
          `selector does not match the pod template labels (${k}=${v})`,
        );
      }
    }
    const podSpec = template.spec ?? {};
    checkLabels(podSpec.nodeSelector, [
      'spec',
      'template',
      'spec',
      'nodeSelector',
    ]);
    const volumes = new Set((podSpec.volumes ?? []).map((v: any) => v?.name));
    for (const group of ['initContainers', 'containers'] as const) {
      (podSpec[group] ?? []).forEach((c: any, i: number) => {
        const at = ['spec', 'template', 'spec', group, i];
        const portNames = new Set<string>();
        (c.ports ?? []).forEach((p: any, j: number) => {
          if (p.name === undefined) return;
          if (p.name.length > 15 || !IANA_SVC_NAME.test(p.name)) {
            add(
              [...at, 'ports', j, 'name'],
              `"${p.name}" must be an IANA service name (at most 15 of a-z, 0-9, "-")`,
            );
          }
          portNames.add(p.name);
        });
        (c.volumeMounts ?? []).forEach((m: any, j: number) => {
          if (!volumes.has(m.name)) {
            add(
              [...at, 'volumeMounts', j, 'name'],
              `no volume named "${m.name}" in the pod`,
            );
          }
        });
        for (const probe of [
          'startupProbe',
          'readinessProbe',
          'livenessProbe',
        ]) {
          const port = c[probe]?.httpGet?.port ?? c[probe]?.tcpSocket?.port;
          if (typeof port === 'string' && !portNames.has(port)) {
            add(
              [
                ...at,
                probe,
                c[probe].httpGet ? 'httpGet' : 'tcpSocket',
                'port',
              ],
              `no container port named "${port}"`,
            );
          }
        }
      });
    }
  }
  return issues;
}

function describe(obj: any, index: number): string {
  const kind = typeof obj?.kind === 'string' ? obj.kind : `object #${index}`;
  const name =
    typeof obj?.metadata?.name === 'string' ? obj.metadata.name : '?';
  return `${kind}/${name}`;
}

/**
 * Checks rendered Kubernetes objects against the Kubernetes OpenAPI schemas
 * (kubernetes-models for core, apps, autoscaling, policy and networking
 * kinds; @kubernetes-models/keda for ScaledObject) plus name, label,
 * selector, port-name and volume-mount rules the API server enforces. Works
 * offline. Returns the problems found, empty when all objects are valid.
 *
 * @public
 */
export async function validateManifests(
  objects: ReadonlyArray<object>,
): Promise<ManifestIssue[]> {
  const models = await loadKubernetesModels();
  const issues: ManifestIssue[] = [];
  objects.forEach((raw, index) => {
    const obj = raw as any;
    const object = describe(obj, index);
    const Model = models.get(`${obj?.apiVersion}/${obj?.kind}`);
    if (!Model) {
      issues.push({
        object,
        path: '/kind',
        message: `unsupported apiVersion/kind ${obj?.apiVersion}/${obj?.kind}`,
      });
      return;
    }
    try {
      new Model(obj).validate();
    } catch (error) {
      const errors = (
        error as {
          errors?: Array<{
            instancePath?: string;
            message?: string;
            params?: Record<string, unknown>;
          }>;
        }
      ).errors;
      if (!Array.isArray(errors)) throw error;
      const seen = new Set<string>();
      for (const e of errors) {
        let at = e.instancePath ?? '';
        if (typeof e.params?.missingProperty === 'string') {
          at = `${at}/${e.params.missingProperty}`;
        }
        const message = e.message ?? 'is invalid';
        const key = `${at} ${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        issues.push({ object, path: at, message });
      }
    }
    for (const issue of semanticIssues(obj)) issues.push({ object, ...issue });
  });
  return issues;
}

/**
 * Formats issues one per line, `<Kind>/<name> <path>: <message>`.
 *
 * @public
 */
export function formatManifestIssues(
  issues: ReadonlyArray<ManifestIssue>,
): string {
  return issues
    .map(i => `${i.object} ${i.path || '/'}: ${i.message}`)
    .join('\n');
}

/**
 * Like {@link validateManifests}, but throws a `TypeError` listing every
 * problem (object and field path) when there is any.
 *
 * @public
 */
export async function assertValidManifests(
  objects: ReadonlyArray<object>,
): Promise<void> {
  const issues = await validateManifests(objects);
  if (issues.length > 0) {
    throw new TypeError(
      `Invalid Kubernetes manifests:\n${formatManifestIssues(issues)}`,
    );
  }
}
