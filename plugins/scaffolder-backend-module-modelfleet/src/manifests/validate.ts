import { loadKubernetesModels } from './kubernetesModels';
import {
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  IANA_SVC_NAME,
  labelKeyProblem,
  labelValueProblem,
  show,
} from './labels';

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

/** The items of a list, or none when it is no list. */
const listOf = (value: unknown): any[] => (Array.isArray(value) ? value : []);

const pointer = (segments: Array<string | number>) =>
  segments.length === 0
    ? ''
    : `/${segments
        .map(s => String(s).replace(/~/g, '~0').replace(/\//g, '~1'))
        .join('/')}`;

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
  checkLabels(obj?.metadata?.labels, ['metadata', 'labels']);

  if (obj?.kind === 'Deployment') {
    const spec = obj.spec ?? {};
    const template = spec.template ?? {};
    const podLabels = template.metadata?.labels ?? {};
    checkLabels(podLabels, ['spec', 'template', 'metadata', 'labels']);
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
    const podSpec = template.spec ?? {};
    checkLabels(podSpec.nodeSelector, [
      'spec',
      'template',
      'spec',
      'nodeSelector',
    ]);
    const volumeList = listOf(podSpec.volumes);
    const volumes = new Set(volumeList.map((v: any) => v?.name));
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
        const at = ['spec', 'template', 'spec', group, i];
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
              `no volume named ${show(
                m?.name,
              )} in the pod (its volumes: ${named(podSpec.volumes, [
                'spec',
                'template',
                'spec',
                'volumes',
              ])})`,
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
  return issues;
}

/** How deep a manifest may nest (the backend's limit too); a rendered one nests about 10. */
const MAX_DEPTH = 64;

/**
 * What no Kubernetes object has, found before the schemas see the object:
 * `__proto__` keys (no field or map key is named so, and a library that
 * copies the object by assignment makes the value the copy's prototype,
 * whose keys then seem the object's own), and nesting deeper than
 * MAX_DEPTH levels (the schema library recurses, and a body 3,000 levels
 * deep overflows its stack). Walked without recursion.
 */
function shapeIssues(root: unknown): Array<Omit<ManifestIssue, 'object'>> {
  const issues: Array<Omit<ManifestIssue, 'object'>> = [];
  let tooDeep = false;
  const stack: Array<[unknown, Array<string | number>]> = [[root, []]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (at.length > MAX_DEPTH) {
      if (!tooDeep) {
        issues.push({
          path: pointer(at),
          message: `is nested more than ${MAX_DEPTH} levels deep`,
        });
      }
      tooDeep = true;
      continue;
    }
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, [...at, i]]));
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      if (k === '__proto__') {
        issues.push({
          path: pointer([...at, k]),
          message: 'is no Kubernetes field or key',
        });
      } else {
        stack.push([item, [...at, k]]);
      }
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
    const shape = shapeIssues(obj);
    if (shape.length) {
      for (const issue of shape) issues.push({ object, ...issue });
      return;
    }
    const Model =
      typeof obj?.apiVersion === 'string' && typeof obj?.kind === 'string'
        ? models.get(`${obj.apiVersion}/${obj.kind}`)
        : undefined;
    if (!Model) {
      const plain = (v: unknown) =>
        typeof v === 'string' && v.length <= 80 ? v : show(v);
      // A kind it knows at another version: the apiVersion is what is wrong.
      const suffix = typeof obj?.kind === 'string' ? `/${obj.kind}` : '';
      const versions = suffix
        ? [...models.keys()]
            .filter(k => k.endsWith(suffix))
            .map(k => k.slice(0, -suffix.length))
        : [];
      issues.push(
        versions.length
          ? {
              object,
              path: '/apiVersion',
              message: `${plain(obj?.apiVersion)} is not an apiVersion of ${
                obj.kind
              } (${versions.join(', ')})`,
            }
          : {
              object,
              path: '/kind',
              message: `unsupported apiVersion/kind ${plain(
                obj?.apiVersion,
              )}/${plain(obj?.kind)}`,
            },
      );
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

/** How a list that names nothing looks: empty, absent, or its value. */
function describeList(list: unknown): string {
  if (Array.isArray(list)) return 'empty';
  if (list === undefined) return 'absent';
  return show(list);
}
