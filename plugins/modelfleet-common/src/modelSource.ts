/**
 * Where a model's weights come from, checked before anything renders it
 * into a manifest, an entity, a README or a log: a Hugging Face id, or an
 * `oci://`, `s3://`, `gs://` or `https://` URI. Never carries credentials,
 * never starts like a command-line option, never walks up a path.
 */

/**
 * A parsed model source.
 *
 * @public
 */
export type ModelSource =
  | { kind: 'hf'; id: string }
  | { kind: 'oci'; uri: string; reference: string }
  | { kind: 's3' | 'gs' | 'https'; uri: string };

/**
 * Why a model source is refused. `credentials` is true when it carries (or
 * may carry) a credential: a user or password before `@`, or a query
 * string (signed URLs, tokens). The message never repeats the source.
 *
 * @public
 */
export class ModelSourceError extends TypeError {
  readonly credentials: boolean;

  constructor(message: string, credentials = false) {
    super(message);
    this.name = 'ModelSourceError';
    this.credentials = credentials;
  }
}

/** A Hugging Face repo id part: HF's own rule, at most 96 characters. */
const HF_PART = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?';
/** A DNS host name, lower-case. */
const HOST =
  '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*';
const PORT = '(?::[0-9]{1,5})?';
/** An OCI repository path component (distribution reference grammar). */
const OCI_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const OCI_TAG = '[A-Za-z0-9_][A-Za-z0-9._-]{0,127}';
const OCI_DIGEST = 'sha256:[a-f0-9]{64}';
/** A path segment of the given characters, never `.` (`..` is refused as a whole). */
const segment = (chars: string) => `/(?!\\.(?:/|$))[${chars}]+`;
const OBJECT_PATH = `(?:${segment('A-Za-z0-9._=+-')})*/?`;

const SOURCES = {
  hf: `(?:hf://)?(?!.*--)${HF_PART}(?:/${HF_PART})?`,
  oci: `oci://${HOST}${PORT}(?:/${OCI_COMPONENT})+(?::${OCI_TAG})?(?:@${OCI_DIGEST})?`,
  s3: `s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]${OBJECT_PATH}`,
  gs: `gs://[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]${OBJECT_PATH}`,
  https: `https://${HOST}${PORT}(?:${segment('A-Za-z0-9._~%+,=:-')})*/?`,
};

/**
 * Every valid model source, as a JSON-schema `pattern` (the Deploy a model
 * template uses it, so a bad source is refused before a task exists). Some
 * limits are checked only by {@link parseModelSource}: port numbers and the
 * length of an OCI repository.
 *
 * @public
 */
export const MODEL_SOURCE_PATTERN = `^(?!.*\\.\\.)(?:${Object.values(
  SOURCES,
).join('|')})$`;

const whole = (pattern: string) => new RegExp(`^(?!.*\\.\\.)(?:${pattern})$`);
const MATCHERS = Object.fromEntries(
  Object.entries(SOURCES).map(([k, p]) => [k, whole(p)]),
) as Record<keyof typeof SOURCES, RegExp>;

/** The longest source accepted. */
const MAX_LENGTH = 1024;
/** distribution/reference: a repository name is at most 255 characters. */
const MAX_OCI_NAME = 255;

const FORMATS: Record<keyof typeof SOURCES, string> = {
  hf: "must be a Hugging Face id, org/name or name (optionally hf://): letters, digits, '-', '_' and '.', each part at most 96 characters, not starting or ending with '-' or '.', without '--' or '..'; revisions are not supported",
  oci: "must be an OCI reference oci://registry[:port]/repository[:tag][@sha256:<64 hex>], with a lower-case registry host and repository components of a-z and 0-9 joined by '.', '_', '__' or '-'",
  s3: "must be s3://bucket[/prefix]: a bucket of 3 to 63 lower-case letters, digits, '.' and '-', and a prefix of letters, digits, '.', '_', '-', '=' and '+', without '.' or '..' segments",
  gs: "must be gs://bucket[/prefix]: a bucket of 3 to 63 lower-case letters, digits, '.', '_' and '-', and a prefix of letters, digits, '.', '_', '-', '=' and '+', without '.' or '..' segments",
  https:
    "must be https://host[:port]/path with a lower-case host and a path of letters, digits and . _ ~ % + , = : -, without '.' or '..' segments",
};

/**
 * Parses a model source, or throws a {@link ModelSourceError} saying what
 * is wrong without repeating the value (it may hold a secret).
 *
 * @public
 */
export function parseModelSource(source: unknown): ModelSource {
  if (typeof source !== 'string' || source === '') {
    throw new ModelSourceError('must be a non-empty string');
  }
  if (source.length > MAX_LENGTH) {
    throw new ModelSourceError(`must be at most ${MAX_LENGTH} characters`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(source)) {
    throw new ModelSourceError('must not contain spaces or control characters');
  }
  // Whatever the scheme: `user:password@` before the first `/` of the
  // authority is a credential (`https://user:token@host/…`,
  // `oci://robot:pw@registry/…`).
  if (/^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^/]*@/.test(source)) {
    throw new ModelSourceError(
      "must not carry credentials (a user or password before '@'): keep them in a Kubernetes Secret in the model's namespace instead",
      true,
    );
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(source)?.[1];
  if (scheme === 'https' && /[?#]/.test(source)) {
    throw new ModelSourceError(
      "must not have a query string or fragment, where signed URLs and tokens travel: keep credentials in a Kubernetes Secret in the model's namespace instead",
      true,
    );
  }
  const kind = (scheme ?? 'hf') as keyof typeof SOURCES;
  if (!Object.prototype.hasOwnProperty.call(SOURCES, kind)) {
    throw new ModelSourceError(
      'must be a Hugging Face id (org/name) or an oci://, s3://, gs://, hf:// or https:// URI',
    );
  }
  if (!MATCHERS[kind].test(source)) {
    throw new ModelSourceError(FORMATS[kind]);
  }
  const port = /^[a-z0-9]+:\/\/[^/]*:([0-9]+)(?:\/|$)/.exec(source)?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) {
    throw new ModelSourceError('must have a port from 1 to 65535');
  }
  if (kind === 'hf') {
    return { kind, id: source.replace(/^hf:\/\//, '') };
  }
  if (kind === 'oci') {
    const reference = source.slice('oci://'.length);
    const name = reference.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
    if (name.length > MAX_OCI_NAME) {
      throw new ModelSourceError(
        `must have a registry and repository of at most ${MAX_OCI_NAME} characters`,
      );
    }
    return { kind, uri: source, reference };
  }
  return { kind, uri: source };
}
