import http from 'node:http';

/**
 * The Kubernetes wire format as {@link FakeKubeObjectServer} speaks it:
 * resource types, discovery documents, object paths, Status bodies, and
 * the two patch formats.
 */

/** A resource type a fake API server serves. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  /** Serves the `scale` subresource (spec.replicas). */
  scale?: boolean;
}

const type = (
  apiVersion: string,
  kind: string,
  plural: string,
  namespaced = true,
  scale = false,
): ResourceType => {
  const [group, version] = apiVersion.includes('/')
    ? apiVersion.split('/')
    : ['', apiVersion];
  return { group, version, kind, plural, namespaced, scale };
};

/** Kinds every cluster serves (the ones the tests use). */
export const CORE_TYPES: ResourceType[] = [
  type('v1', 'Namespace', 'namespaces', false),
  type('v1', 'Service', 'services'),
  type('v1', 'ConfigMap', 'configmaps'),
  type('apps/v1', 'Deployment', 'deployments', true, true),
  type('apps/v1', 'StatefulSet', 'statefulsets', true, true),
  type('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies'),
];

/** The kinds of KEDA and its HTTP add-on. */
export const KEDA_TYPES: ResourceType[] = [
  type('keda.sh/v1alpha1', 'ScaledObject', 'scaledobjects'),
  type('http.keda.sh/v1alpha1', 'HTTPScaledObject', 'httpscaledobjects'),
];

/** The Multi-Cluster Services API's export of a Service. */
export const MCS_TYPES: ResourceType[] = [
  type('multicluster.x-k8s.io/v1alpha1', 'ServiceExport', 'serviceexports'),
];

/** Any Kubernetes object, as JSON. */
export type Obj = Record<string, any> & {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any> & { name: string; namespace?: string };
};

export const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value));

const isMap = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const groupVersion = (t: ResourceType) =>
  t.group ? `${t.group}/${t.version}` : t.version;

/** `deployments.apps`, or `services` for the core group. */
export const qualifiedResource = (t: ResourceType) =>
  t.group ? `${t.plural}.${t.group}` : t.plural;

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const result: Record<string, any> = isMap(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Server-side apply, approximated: maps are merged, everything else is
 * replaced. (Fields a manager stops applying are not removed.)
 */
export function applyMerge(target: unknown, applied: unknown): unknown {
  if (!isMap(applied) || !isMap(target)) return clone(applied);
  const result = clone(target);
  for (const [key, value] of Object.entries(applied)) {
    result[key] = applyMerge(result[key], value);
  }
  return result;
}

/** An error the fake answers with a Status body. */
export class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** A `kind: Status` failure body. */
export function statusBody(code: number, message: string) {
  const reason = (http.STATUS_CODES[code] ?? 'Error').replace(/ /g, '');
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  };
}

/** The discovery document at `path`, or undefined when it is not one. */
export function discoveryDocument(
  types: ResourceType[],
  path: string,
): unknown {
  if (path === '/api') {
    return { kind: 'APIVersions', versions: ['v1'] };
  }
  if (path === '/apis') {
    const groups = [...new Set(types.filter(t => t.group).map(t => t.group))];
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: groups.map(name => {
        const { version } = types.find(t => t.group === name)!;
        const gv = { groupVersion: `${name}/${version}`, version };
        return { name, versions: [gv], preferredVersion: gv };
      }),
    };
  }
  const gv =
    path === '/api/v1' ? 'v1' : path.match(/^\/apis\/([^/]+\/[^/]+)$/)?.[1];
  const served = types.filter(t => groupVersion(t) === gv);
  if (!gv || served.length === 0) return undefined;
  const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];
  const scale = (t: ResourceType) => ({
    name: `${t.plural}/scale`,
    singularName: '',
    namespaced: true,
    group: 'autoscaling',
    version: 'v1',
    kind: 'Scale',
    verbs: ['get', 'patch', 'update'],
  });
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: served.flatMap(t => [
      {
        name: t.plural,
        singularName: t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        verbs,
      },
      ...(t.scale ? [scale(t)] : []),
    ]),
  };
}

/** What an object path names. */
export interface Target {
  type: ResourceType;
  namespace?: string;
  name: string;
  subresource?: string;
}

/** The object (or its scale) a path names; throws 404 when none is served. */
export function parseObjectPath(types: ResourceType[], path: string): Target {
  const notFound = new HttpError(
    404,
    'the server could not find the requested resource',
  );
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  let gv: string;
  let rest: string[];
  if (segments[0] === 'api') {
    gv = segments[1];
    rest = segments.slice(2);
  } else if (segments[0] === 'apis') {
    gv = `${segments[1]}/${segments[2]}`;
    rest = segments.slice(3);
  } else {
    throw notFound;
  }
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource, ...more] = rest;
  const t = types.find(x => groupVersion(x) === gv && x.plural === plural);
  if (!t || !name || more.length > 0 || t.namespaced !== !!namespace) {
    throw notFound;
  }
  if (subresource && (subresource !== 'scale' || !t.scale)) throw notFound;
  return { type: t, namespace, name, subresource };
}

/** The path of an object of a type. */
export function objectPath(
  t: ResourceType,
  namespace: string | undefined,
  name: string,
): string {
  const base = t.group ? `/apis/${t.group}/${t.version}` : '/api/v1';
  const ns = t.namespaced ? `/namespaces/${namespace ?? 'default'}` : '';
  return `${base}${ns}/${t.plural}/${name}`;
}
