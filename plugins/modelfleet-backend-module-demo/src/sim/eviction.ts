/**
 * The pods' `eviction` subresource, as the real API server's
 * `EvictionREST` serves `POST /api/v1/namespaces/<ns>/pods/<name>/eviction`
 * with a `policy/v1` (or `policy/v1beta1`) `Eviction`: the checks of its
 * PodDisruptionBudget (`disruption.ts`), then the pod deleted as a DELETE
 * would delete it; its controller makes a replacement.
 */
import { controllerOf } from './controllers/context';
import { budgetsOfPod, ControllerScale, evictionVerdict } from './disruption';
import { isPlainObject, KubeObject, StoredObject } from './objects';
import { ApiError, badRequest, notFound } from './status';
import { ObjectStore } from './store';

/** An eviction request: the pod of the URL, the query and the body. */
export interface EvictionRequest {
  namespace: string;
  name: string;
  query: URLSearchParams;
  body: Buffer;
  /** The user of the request, for the mutation log. */
  user: string;
}

const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];

/**
 * The desired replicas of a pod's controller in a store, as the
 * disruption controller's finders read them: the Deployment of a
 * ReplicaSet it controls, else the ReplicaSet; a StatefulSet.
 */
export function storeControllerScale(store: ObjectStore): ControllerScale {
  const t = (v: string, k: string) => store.type(v, k);
  const types = {
    ReplicaSet: t('apps/v1', 'ReplicaSet'),
    Deployment: t('apps/v1', 'Deployment'),
    StatefulSet: t('apps/v1', 'StatefulSet'),
  };
  const owned = (o: KubeObject, kind: keyof typeof types, ns?: string) => {
    const ref = controllerOf(o);
    if (!ref || ref.kind !== kind) return undefined;
    const owner = store.get(types[kind], ns, ref.name);
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  };
  const scale = (o: StoredObject) => ({
    uid: o.metadata.uid,
    replicas: Number(o.spec?.replicas ?? 1),
  });
  return pod => {
    const ns = pod.metadata?.namespace;
    const rs = owned(pod, 'ReplicaSet', ns);
    if (rs) {
      const deployment = owned(rs, 'Deployment', ns);
      return scale(deployment ?? rs);
    }
    const sts = owned(pod, 'StatefulSet', ns);
    return sts ? scale(sts) : undefined;
  };
}

function parseEviction(req: EvictionRequest): KubeObject {
  const text = req.body.toString('utf8');
  if (!text.trim()) throw badRequest('the request body is empty');
  let eviction: unknown;
  try {
    eviction = JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `the body of the request could not be decoded: ${
        e instanceof Error ? e.message : e
      }`,
    );
  }
  if (!isPlainObject(eviction)) throw badRequest('the body is not an object');
  const { apiVersion, kind } = eviction as KubeObject;
  if (kind && kind !== 'Eviction') {
    throw badRequest(
      `${kind} in version "${
        apiVersion ?? ''
      }" cannot be handled as a Eviction: the body's kind is not Eviction`,
    );
  }
  if (apiVersion && !EVICTION_VERSIONS.includes(apiVersion)) {
    throw badRequest(
      `the API version in the data (${apiVersion}) does not match the expected API version (policy/v1)`,
    );
  }
  return eviction as KubeObject;
}

/** `dryRun` of the query and of the body's deleteOptions, as `propagateDryRun` merges them. */
function dryRunOf(req: EvictionRequest, eviction: KubeObject): boolean {
  const query = req.query.getAll('dryRun');
  if (query.some(d => d !== 'All')) {
    throw badRequest(`Invalid dry run value: ${query.join(',')}`);
  }
  const body: unknown = eviction.deleteOptions?.dryRun ?? [];
  if (!Array.isArray(body) || body.some(d => d !== 'All')) {
    throw badRequest(
      `deleteOptions.dryRun: Unsupported value: ${JSON.stringify(
        body,
      )}: supported values: "All"`,
    );
  }
  if (query.length > 0 && body.length > 0 && query.length !== body.length) {
    throw new ApiError(
      500,
      `Internal error occurred: Non-matching dry-run options in request and content: [${query.join(
        ' ',
      )}] and [${body.join(' ')}]`,
      'InternalError',
    );
  }
  return query.length > 0 || body.length > 0;
}

/** The deleteOptions' preconditions: 409 as the registry answers a mismatch. */
function checkPreconditions(eviction: KubeObject, pod: StoredObject): void {
  const pre = eviction.deleteOptions?.preconditions ?? {};
  const conflict = (what: string, want: string, have: string) =>
    new ApiError(
      409,
      `Operation cannot be fulfilled on pods "${pod.metadata.name}": Precondition failed: ${what} in precondition: ${want}, ${what} in object meta: ${have}`,
      'Conflict',
      { name: pod.metadata.name, kind: 'pods' },
    );
  if (pre.uid && pre.uid !== pod.metadata.uid)
    throw conflict('UID', pre.uid, pod.metadata.uid);
  if (
    pre.resourceVersion &&
    pre.resourceVersion !== pod.metadata.resourceVersion
  )
    throw conflict(
      'ResourceVersion',
      pre.resourceVersion,
      pod.metadata.resourceVersion,
    );
}

/**
 * Evicts a pod, or answers why not: 400 for a body that is not an
 * Eviction of this pod, 404 for no pod, 409 for failed preconditions, 429
 * when its PodDisruptionBudget allows no disruption now, 500 when more
 * than one budget covers it; otherwise the pod gets the
 * `DisruptionTarget` condition (reason `EvictionByEvictionAPI`) and is
 * deleted (both skipped with `dryRun=All`), and the answer is 201 with a
 * `Status` of `Success`. The deletion is recorded as the request's
 * (`create` of `pods/eviction`), under the pod's action step annotation.
 */
export function evictPod(
  store: ObjectStore,
  req: EvictionRequest,
): { code: number; body: unknown } {
  const podType = store.type('v1', 'Pod');
  const eviction = parseEviction(req);
  const ns = eviction.metadata?.namespace;
  if (ns && ns !== req.namespace) {
    throw badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if ((eviction.metadata?.name ?? '') !== req.name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  const dryRun = dryRunOf(req, eviction);
  const pod = store.get(podType, req.namespace, req.name);
  if (!pod) throw notFound(podType, req.name);
  checkPreconditions(eviction, pod);

  const budgets = budgetsOfPod(
    pod,
    store.list(store.type('policy/v1', 'PodDisruptionBudget'), {
      namespace: req.namespace,
    }),
  );
  const verdict = evictionVerdict(
    pod,
    budgets,
    budgets.length === 1
      ? store.list(podType, { namespace: req.namespace })
      : [],
    storeControllerScale(store),
  );
  if (!verdict.allowed) {
    if (verdict.code === 500) {
      // EvictionREST returns this Status as its result, not as an error:
      // it has no reason.
      return {
        code: 500,
        body: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: verdict.message,
          code: 500,
        },
      };
    }
    throw new ApiError(verdict.code, verdict.message, 'TooManyRequests', {
      causes: [{ reason: 'DisruptionBudget', message: verdict.cause ?? '' }],
    });
  }
  if (!dryRun) {
    store.modify(
      podType,
      req.namespace,
      req.name,
      draft => {
        const time = new Date(store.now())
          .toISOString()
          .replace(/\.\d+Z$/, 'Z');
        const conditions = (draft.status?.conditions ?? []).filter(
          (c: any) => c.type !== 'DisruptionTarget',
        );
        draft.status = {
          ...draft.status,
          conditions: [
            ...conditions,
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'EvictionByEvictionAPI',
              message: 'Eviction API: evicting',
              lastTransitionTime: time,
            },
          ],
        };
      },
      {
        manager: 'kube-apiserver',
        source: 'controller',
        subresource: 'status',
      },
    );
    store.delete(podType, req.namespace, req.name, {
      source: 'api',
      user: req.user,
      verb: 'create',
      subresource: 'eviction',
    });
  }
  return {
    code: 201,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    },
  };
}
