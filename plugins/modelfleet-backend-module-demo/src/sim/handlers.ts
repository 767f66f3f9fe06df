import { parse as parseYaml } from 'yaml';
import { clone, isPlainObject, KubeObject, StoredObject } from './objects';
import { evictPod } from './eviction';
import { jsonPatch, mergePatch, PatchError } from './patch';
import { apiVersionOf, ResourceType } from './resources';
import { parseFieldSelector, parseLabelSelector, Selector } from './selectors';
import { ApiError, badRequest, notFound, staleConflict } from './status';
import { ObjectStore, WriteOptions } from './store';

/** A resource request, parsed and authorized. */
export interface ResourceRequest {
  verb: string;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
  user: string;
}

/** An answer: status code and JSON body. */
export interface Answer {
  code: number;
  body: unknown;
}

const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export function selectorOf(query: URLSearchParams, kind: string): Selector {
  return {
    labels: parseLabelSelector(query.get('labelSelector')),
    fields: parseFieldSelector(query.get('fieldSelector'), kind),
  };
}

function parseBody(req: ResourceRequest, yaml = false): unknown {
  const text = req.body.toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty');
  try {
    return yaml ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the body of the request could not be decoded: ${
        e instanceof Error ? e.message : e
      }`,
    );
  }
}

/** The `autoscaling/v1` Scale of a workload. */
export function scaleOf(object: StoredObject): KubeObject {
  const selector = object.spec?.selector?.matchLabels ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: object.spec?.replicas ?? 0 },
    status: {
      replicas: object.status?.replicas ?? 0,
      selector: Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    },
  };
}

/** Get, list, create, update, patch and delete of the stored resources. */
export class ResourceHandlers {
  constructor(private readonly store: ObjectStore) {}

  private options(req: ResourceRequest): WriteOptions {
    const dryRun = req.query.getAll('dryRun');
    if (dryRun.some(d => d !== 'All')) {
      throw badRequest(`Invalid dry run value: ${dryRun.join(',')}`);
    }
    return {
      manager: req.query.get('fieldManager') ?? undefined,
      dryRun: dryRun.includes('All'),
      source: 'api',
      user: req.user,
      ...(req.subresource ? { subresource: req.subresource } : {}),
    };
  }

  private existing(req: ResourceRequest): StoredObject {
    const o = this.store.get(req.type, req.namespace, req.name ?? '');
    if (!o) throw notFound(req.type, req.name ?? '');
    return o;
  }

  handle(req: ResourceRequest): Answer {
    const { type } = req;
    if (req.subresource === 'eviction' && type.eviction && req.name) {
      if (req.verb !== 'create') {
        throw new ApiError(
          405,
          'the server does not allow this method on the requested resource',
          'MethodNotAllowed',
        );
      }
      return evictPod(this.store, {
        namespace: req.namespace ?? '',
        name: req.name,
        query: req.query,
        body: req.body,
        user: req.user,
      });
    }
    if (req.subresource && !['scale', 'status'].includes(req.subresource)) {
      throw new ApiError(
        404,
        'the server could not find the requested resource',
      );
    }
    if (
      (req.subresource === 'scale' && !type.scale) ||
      (req.subresource === 'status' && !type.status)
    ) {
      throw new ApiError(
        404,
        'the server could not find the requested resource',
      );
    }
    if (req.subresource === 'scale') return this.scale(req);
    switch (req.verb) {
      case 'get':
        return { code: 200, body: this.existing(req) };
      case 'list':
        return { code: 200, body: this.list(req) };
      case 'create':
        return this.create(req);
      case 'update':
        return this.update(req);
      case 'patch':
        return this.patch(req);
      case 'delete':
        return {
          code: 200,
          body: this.store.delete(type, req.namespace, req.name ?? '', {
            ...this.options(req),
            verb: 'delete',
          }),
        };
      case 'deletecollection': {
        const opts = { ...this.options(req), verb: 'delete' };
        const items = this.store
          .list(type, {
            namespace: req.namespace,
            selector: selectorOf(req.query, type.kind),
          })
          .map(o =>
            this.store.delete(
              type,
              o.metadata.namespace,
              o.metadata.name,
              opts,
            ),
          );
        return { code: 200, body: this.listBody(type, items) };
      }
      default:
        throw new ApiError(
          405,
          `${req.verb} is not supported`,
          'MethodNotAllowed',
        );
    }
  }

  private listBody(type: ResourceType, items: StoredObject[]) {
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: { resourceVersion: String(this.store.resourceVersion) },
      items,
    };
  }

  private list(req: ResourceRequest) {
    const items = this.store.list(req.type, {
      namespace: req.namespace,
      selector: selectorOf(req.query, req.type.kind),
    });
    return this.listBody(req.type, items);
  }

  private create(req: ResourceRequest): Answer {
    const object = parseBody(req) as KubeObject;
    if (!isPlainObject(object)) throw badRequest('the body is not an object');
    const ns = object.metadata?.namespace;
    if (req.type.namespaced && ns && ns !== req.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    const body = clone(object);
    body.metadata = {
      ...body.metadata,
      ...(req.namespace ? { namespace: req.namespace } : {}),
    };
    const created = this.store.create(req.type, body, this.options(req));
    return { code: 201, body: created };
  }

  private update(req: ResourceRequest): Answer {
    const object = parseBody(req) as KubeObject;
    if (!isPlainObject(object)) throw badRequest('the body is not an object');
    if (object.metadata?.name !== req.name) {
      throw badRequest(
        `the name of the object (${object.metadata?.name}) does not match the name on the URL (${req.name})`,
      );
    }
    const body = {
      ...object,
      metadata: { ...object.metadata, namespace: req.namespace },
    };
    return {
      code: 200,
      body: this.store.update(req.type, body, this.options(req)),
    };
  }

  /** The object after a JSON, merge or strategic merge patch. */
  private patched(req: ResourceRequest, current: KubeObject): KubeObject {
    const doc = parseBody(req);
    try {
      if (req.contentType === 'application/json-patch+json') {
        return jsonPatch(current, doc) as KubeObject;
      }
      // A strategic merge patch is taken as a JSON merge patch: lists are
      // replaced, not merged by their keys.
      if (!isPlainObject(doc))
        throw new PatchError('a merge patch must be an object', 400);
      return mergePatch(current, doc) as KubeObject;
    } catch (e) {
      if (e instanceof PatchError) {
        throw new ApiError(
          e.code,
          e.message,
          e.code === 400 ? 'BadRequest' : 'Invalid',
        );
      }
      throw e;
    }
  }

  private patch(req: ResourceRequest): Answer {
    if (!PATCH_TYPES.includes(req.contentType)) {
      throw new ApiError(
        415,
        `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(
          ', ',
        )}`,
        'UnsupportedMediaType',
      );
    }
    const options = this.options(req);
    if (req.contentType === 'application/apply-patch+yaml') {
      if (!options.manager) {
        throw new ApiError(
          422,
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
          'Invalid',
        );
      }
      const config = parseBody(req, true) as KubeObject;
      if (!isPlainObject(config)) throw badRequest('the body is not an object');
      const want = apiVersionOf(req.type);
      if (config.apiVersion !== want || config.kind !== req.type.kind) {
        throw badRequest(
          `the API version in the data (${config.apiVersion}) does not match the expected API version (${want}), or its kind (${config.kind}) is not ${req.type.kind}`,
        );
      }
      if (config.metadata?.name && config.metadata.name !== req.name) {
        throw badRequest(
          'the name of the object does not match the name on the URL',
        );
      }
      const existed = Boolean(
        this.store.get(req.type, req.namespace, req.name ?? ''),
      );
      const force = req.query.get('force') === 'true';
      const object = this.store.apply(
        req.type,
        req.namespace,
        req.name ?? '',
        config,
        {
          ...options,
          force,
        },
      );
      return { code: existed ? 200 : 201, body: object };
    }
    const before = this.existing(req);
    let after = this.patched(req, before);
    if (
      after.metadata?.resourceVersion &&
      after.metadata.resourceVersion !== before.metadata.resourceVersion
    ) {
      throw staleConflict(req.type, before.metadata.name);
    }
    if (req.subresource === 'status')
      after = { ...before, status: after.status };
    else if (req.type.status) after = { ...after, status: before.status };
    const object = this.store.modify(
      req.type,
      req.namespace,
      req.name ?? '',
      () => after,
      {
        ...options,
        manager: options.manager ?? 'unknown',
        verb: 'patch',
      },
    );
    return { code: 200, body: object };
  }

  /** The scale subresource: get, update (PUT) and every kind of patch. */
  private scale(req: ResourceRequest): Answer {
    const current = this.existing(req);
    const scale = scaleOf(current);
    if (req.verb === 'get') return { code: 200, body: scale };
    if (!['update', 'patch'].includes(req.verb)) {
      throw new ApiError(
        405,
        `${req.verb} is not supported on scale`,
        'MethodNotAllowed',
      );
    }
    let wanted: KubeObject;
    if (req.verb === 'update') {
      wanted = parseBody(req) as KubeObject;
      const rv = wanted.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) {
        throw staleConflict(req.type, current.metadata.name);
      }
    } else if (req.contentType === 'application/apply-patch+yaml') {
      wanted = mergePatch(scale, parseBody(req, true)) as KubeObject;
    } else {
      if (!PATCH_TYPES.includes(req.contentType)) {
        throw new ApiError(
          415,
          'unsupported patch type',
          'UnsupportedMediaType',
        );
      }
      wanted = this.patched(req, scale);
      const rv = wanted.metadata?.resourceVersion;
      if (rv && rv !== current.metadata.resourceVersion) {
        throw staleConflict(req.type, current.metadata.name);
      }
    }
    const replicas = wanted.spec?.replicas;
    const options = this.options(req);
    const after = this.store.modify(
      req.type,
      req.namespace,
      current.metadata.name,
      draft => {
        draft.spec = { ...draft.spec, replicas };
      },
      { ...options, verb: req.verb, manager: options.manager ?? 'unknown' },
    );
    return { code: 200, body: scaleOf(after) };
  }
}
