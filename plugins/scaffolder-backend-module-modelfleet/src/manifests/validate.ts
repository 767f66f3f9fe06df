import { loadKubernetesModels } from './kubernetesModels';
import { show } from './labels';
import { pointer, semanticIssues } from './semantic';

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
 * kinds; @kubernetes-models/keda for ScaledObject;
 * @kubernetes-models/knative for a Knative Service; the KEDA HTTP add-on's
 * CRD schema for HTTPScaledObject) plus name, label, selector, port-name
 * and volume-mount rules the API server enforces, and the rules Knative's
 * webhook adds for a revision. Works offline. Returns the problems found,
 * empty when all objects are valid.
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
        let message = e.message ?? 'is invalid';
        if (typeof e.params?.missingProperty === 'string') {
          at = `${at}/${e.params.missingProperty}`;
        } else if (typeof e.params?.additionalProperty === 'string') {
          at = `${at}/${pointer([e.params.additionalProperty]).slice(1)}`;
          message = 'is not a field of this kind';
        }
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
