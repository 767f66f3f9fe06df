import { json, Loopback, startLoopback, TestCertificate } from './loopback';

/** An agent pool's `properties` as ARM holds them. */
export type AgentPoolProperties = Record<string, unknown> & {
  count?: number;
  minCount?: number;
  maxCount?: number;
  enableAutoScaling?: boolean;
  eTag?: string;
};

/** A failure the server answers instead of the next matching request. */
export interface InjectedFailure {
  method?: 'GET' | 'PUT';
  status: number;
  code: string;
  message: string;
}

/** A loopback Azure Resource Manager serving AKS agent pools. */
export interface ArmAgentPools extends Loopback {
  /** Pools by `<subscription>/<resource group>/<cluster>/<pool>`. */
  pools: Map<string, AgentPoolProperties>;
  /** Answered, in order, instead of the requests they match. */
  failures: InjectedFailure[];
  /**
   * `sync`: a PUT is answered 200 with the final pool. `async`: 201 with an
   * `Azure-AsyncOperation` URL that reports `InProgress` once, then
   * `Succeeded`.
   */
  lro: 'sync' | 'async';
  /** The bearer token every request must carry. */
  token: string;
  /** How long every answer is held back. */
  delayMs: number;
  /** Called after a pool is answered to a GET, e.g. to change it behind the reader's back. */
  afterGet?: (key: string) => void;
}

const POOL_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.ContainerService\/managedClusters\/([^/]+)\/agentPools\/([^/?]+)$/;

const armError = (code: string, message: string) => ({
  error: { code, message },
});

/**
 * Starts an HTTPS server that speaks the ARM agent pool API as
 * `@azure/arm-containerservice` calls it: `GET` and `PUT`
 * `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.ContainerService/managedClusters/{c}/agentPools/{p}?api-version=…`,
 * with ARM's error bodies (`{ "error": { "code", "message" } }`), eTags
 * (`If-Match` → 412), AKS's check that `minCount ≤ count ≤ maxCount`, and
 * the `Azure-AsyncOperation` long-running-operation protocol.
 */
export async function startArmAgentPools(
  cert: TestCertificate,
): Promise<ArmAgentPools> {
  const pools = new Map<string, AgentPoolProperties>();
  const operations = new Map<string, number>();
  // The handler reads the test's settings from it; the loopback's own
  // fields are filled in once it listens.
  const server: ArmAgentPools = {
    base: '',
    requests: [],
    close: async () => {},
    pools,
    failures: [],
    lro: 'sync',
    token: 'test-token',
    delayMs: 0,
  };
  let etags = 0;
  const loopback = await startLoopback(async (req, res, base) => {
    if (server.delayMs > 0) {
      await new Promise(resolve => setTimeout(resolve, server.delayMs));
    }
    const url = new URL(req.url, base);
    if (req.headers.authorization !== `Bearer ${server.token}`) {
      json(res, 401, armError('AuthenticationFailed', 'no valid token'));
      return;
    }
    if (!url.searchParams.get('api-version')) {
      json(res, 400, armError('MissingApiVersionParameter', 'no api-version'));
      return;
    }
    const op = url.pathname.match(/^\/operations\/([^/]+)$/);
    if (op && req.method === 'GET') {
      const left = operations.get(op[1]) ?? 0;
      operations.set(op[1], left - 1);
      json(res, 200, {
        name: op[1],
        status: left > 0 ? 'InProgress' : 'Succeeded',
      });
      return;
    }
    const m = url.pathname.match(POOL_PATH);
    if (!m) {
      json(
        res,
        404,
        armError('InvalidResourceType', `no route ${url.pathname}`),
      );
      return;
    }
    const failure = server.failures.findIndex(
      f => !f.method || f.method === req.method,
    );
    if (failure >= 0) {
      const [f] = server.failures.splice(failure, 1);
      json(res, f.status, armError(f.code, f.message));
      return;
    }
    const [, sub, group, cluster, name] = m;
    const key = `${sub}/${group}/${cluster}/${name}`;
    const id = `/subscriptions/${sub}/resourcegroups/${group}/providers/Microsoft.ContainerService/managedClusters/${cluster}/agentPools/${name}`;
    const current = pools.get(key);
    const resource = (properties: AgentPoolProperties) => ({
      id,
      name,
      type: 'Microsoft.ContainerService/managedClusters/agentPools',
      properties,
    });
    if (!current) {
      json(
        res,
        404,
        armError(
          'NotFound',
          `The agent pool '${name}' of managed cluster '${cluster}' in resource group '${group}' was not found.`,
        ),
      );
      return;
    }
    if (req.method === 'GET') {
      json(res, 200, resource(current));
      server.afterGet?.(key);
      return;
    }
    if (req.method !== 'PUT') {
      json(res, 405, armError('MethodNotAllowed', `${req.method}`));
      return;
    }
    const ifMatch = req.headers['if-match'];
    if (ifMatch !== undefined && ifMatch !== current.eTag) {
      json(
        res,
        412,
        armError(
          'PreconditionFailed',
          `Operation is not allowed since the etag ${ifMatch} does not match the current etag ${current.eTag}.`,
        ),
      );
      return;
    }
    const props = (JSON.parse(req.body) as { properties: AgentPoolProperties })
      .properties;
    const { count = 0, minCount = 0, maxCount = 0 } = props;
    if (props.enableAutoScaling && !(minCount <= count && count <= maxCount)) {
      json(
        res,
        400,
        armError(
          'InvalidParameter',
          `The value of parameter agentPoolProfile.count is invalid. Please see https://aka.ms/aks-naming-rules for more details. count ${count} must be between minCount ${minCount} and maxCount ${maxCount}.`,
        ),
      );
      return;
    }
    const next = {
      ...props,
      eTag: `etag-${++etags}`,
      provisioningState: 'Succeeded',
    };
    pools.set(key, next);
    if (server.lro === 'async') {
      const opId = `op-${etags}`;
      operations.set(opId, 1);
      json(res, 201, resource({ ...next, provisioningState: 'Updating' }), {
        'azure-asyncoperation': `${base}/operations/${opId}?api-version=2016-03-30`,
        'retry-after': '0',
      });
      return;
    }
    json(res, 200, resource(next));
  }, cert);
  return Object.assign(server, loopback);
}
