import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** The most objects one deployment may carry; a model renders about ten. */
const MAX_OBJECTS = 50;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const manifestSchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z
      .object({
        name: z.string().min(1).max(253),
        namespace: z.string().optional(),
      })
      .passthrough(),
  })
  .passthrough();

const bodySchema = z
  .object({
    cluster: z.string().min(1).max(253),
    namespace: z
      .string()
      .max(63)
      .regex(DNS_LABEL, 'must be a Kubernetes namespace name'),
    model: z.string().min(1).max(400),
    owner: z.string().min(1).max(400).optional(),
    manifests: z.array(manifestSchema).min(1).max(MAX_OBJECTS),
    dryRun: z.boolean().optional(),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
    reason: z.string().max(500).optional(),
  })
  // Unknown keys are refused, not dropped: a misspelt `dryrun: true` must
  // not become a real deploy. (The manifests are Kubernetes objects: their
  // fields are the API server's to check.)
  .strict();

/** `manifests[2].metadata.name` from zod's `['manifests', 2, 'metadata', 'name']`. */
function fieldOf(path: Array<string | number>): string {
  const field = path
    .map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .replace(/^\./, '');
  return field || 'body';
}

/** The body of `POST /deployments`, or an InputError naming each bad field. */
export function parseDeploymentBody(body: unknown) {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      parsed.error.issues
        .flatMap(i =>
          i.code === 'unrecognized_keys'
            ? i.keys.map(k => `${fieldOf([...i.path, k])}: unknown key`)
            : [`${fieldOf(i.path)}: ${i.message}`],
        )
        .join('; '),
    );
  }
  return parsed.data;
}
