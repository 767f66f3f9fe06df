import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CostGranularity,
  CostScope,
  modelfleetCostReadPermission,
  poolEntityName,
  ClustersResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelWorkloadsResponse,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { FleetStateStore } from './database/FleetStateStore';
import { PriceBookStore } from './database/PriceBookStore';
import { isCheapestEligible } from './prices/priceFlags';
import { PolicyService } from './policy/PolicyService';
import { FleetStatusService } from './service/FleetStatusService';
import { addDays, daysBetween, parseDay } from './engines/showback';
import { CostQuery, CostReportService } from './showback/CostReportService';
import { PlacementService } from './placement';

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  fleetStatus: FleetStatusService;
  policies: PolicyService;
  fleet: FleetStateStore;
  prices: PriceBookStore;
  permissions: PermissionsService;
  costs: CostReportService;
  placement: PlacementService;
  /** Routers of their own (actions, models), mounted after the JSON body parser. */
  routers?: express.Router[];
}

const GRANULARITIES: CostGranularity[] = ['day', 'week', 'month'];
const MAX_PERIOD_DAYS = 400;

/** Catalog kinds with costs, as they appear in the URL. */
const KINDS: Record<string, Exclude<CostScope, 'fleet'>> = {
  model: 'model',
  gpupool: 'pool',
  group: 'team',
};

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** Reads `from`, `to` and `granularity`, or throws naming the bad one. */
function readCostQuery(
  query: Record<string, unknown>,
  fallback: CostQuery,
): CostQuery {
  const q = { ...fallback };
  const from = optionalQueryParam(query, 'from');
  const to = optionalQueryParam(query, 'to');
  const granularity = optionalQueryParam(query, 'granularity');
  if (from) q.from = dayParam(from, 'from');
  if (to) q.to = dayParam(to, 'to');
  if (from && !to) q.to = addDays(q.from, 30);
  if (to && !from) q.from = addDays(q.to, -30);
  if (q.to <= q.from) {
    throw new InputError(`to: must be after from (${q.from}), got ${q.to}`);
  }
  if (daysBetween(q.from, q.to) > MAX_PERIOD_DAYS) {
    throw new InputError(
      `to: the period may span at most ${MAX_PERIOD_DAYS} days, got ${daysBetween(
        q.from,
        q.to,
      )}`,
    );
  }
  if (granularity) {
    if (!GRANULARITIES.includes(granularity as CostGranularity)) {
      throw new InputError(
        `granularity: must be one of ${GRANULARITIES.join(
          ', ',
        )}, got '${granularity}'`,
      );
    }
    q.granularity = granularity as CostGranularity;
  }
  return q;
}

function dayParam(value: string, name: string): string {
  try {
    parseDay(value, name);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return value;
}

const PROVIDERS = ['aws', 'gcp', 'azure', 'other'] as const;

/** Reads an optional single-valued query parameter, or throws naming it. */
function optionalQueryParam(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(`${name}: must be given once, as a non-empty string`);
  }
  return value.trim();
}

/**
 * The ModelFleet REST API. Thin: authenticate, call a service, answer.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const {
    httpAuth,
    fleetStatus,
    policies,
    fleet,
    prices,
    permissions,
    costs,
    placement,
  } = options;

  /** Allows the read of an entity's costs, or throws NotAllowedError. */
  const authorizeCost = async (
    credentials: BackstageCredentials,
    entityRef?: string,
  ) => {
    if (entityRef) {
      const [d] = await permissions.authorize(
        [{ permission: modelfleetCostReadPermission, resourceRef: entityRef }],
        { credentials },
      );
      if (d.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `modelfleet.cost.read is not allowed on ${entityRef}`,
        );
      }
      return;
    }
    // Fleet-wide figures span every entity: only an unconditional allow.
    const [d] = await permissions.authorizeConditional(
      [{ permission: modelfleetCostReadPermission }],
      { credentials },
    );
    if (d.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'modelfleet.cost.read is not allowed on the whole fleet',
      );
    }
  };

  const entityOf = (params: Record<string, string>) => {
    const scope = KINDS[params.kind?.toLocaleLowerCase('en-US')];
    if (!scope) {
      throw new InputError(
        `kind: must be one of ${Object.keys(KINDS).join(', ')}, got '${
          params.kind
        }'`,
      );
    }
    for (const p of ['namespace', 'name'] as const) {
      if (!NAME.test(params[p])) {
        throw new InputError(`${p}: '${params[p]}' is not an entity ${p}`);
      }
    }
    const kind = params.kind.toLocaleLowerCase('en-US');
    return {
      scope,
      entityRef: `${kind}:${params.namespace}/${params.name}`.toLocaleLowerCase(
        'en-US',
      ),
    };
  };
  const router = Router();
  router.use(express.json());
  for (const r of options.routers ?? []) router.use(r);

  router.get('/health', (_req, res) => {
    const body: HealthResponse = { status: 'ok' };
    res.json(body);
  });

  router.get('/status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await fleetStatus.status());
  });

  router.get('/clusters', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: ClustersResponse = { items: await fleet.listClusters() };
    res.json(body);
  });

  router.get('/pools', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: GpuPoolsResponse = { items: await fleet.listPools() };
    res.json(body);
  });

  router.get('/workloads', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: ModelWorkloadsResponse = { items: await fleet.listWorkloads() };
    res.json(body);
  });

  router.get('/prices', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const provider = optionalQueryParam(req.query, 'provider');
    if (provider && !PROVIDERS.includes(provider as any)) {
      throw new InputError(
        `provider: must be one of ${PROVIDERS.join(', ')}, got '${provider}'`,
      );
    }
    const region = optionalQueryParam(req.query, 'region');
    const instanceType = optionalQueryParam(req.query, 'instanceType');
    const quotes = await prices.latest({
      provider: provider as (typeof PROVIDERS)[number] | undefined,
      regions: region ? [region] : undefined,
      instanceTypes: instanceType ? [instanceType] : undefined,
      gpu: optionalQueryParam(req.query, 'gpu'),
    });
    res.json({
      items: quotes.map(q => ({
        ...q,
        eligibleForCheapest: isCheapestEligible(q),
      })),
    });
  });

  router.post('/placement', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await placement.place(req.body));
  });

  router.get('/policies/effective', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(policies.effective(optionalQueryParam(req.query, 'team')));
  });

  router.get('/cost/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials);
    res.json(await costs.cost('fleet', null, q));
  });

  router.get('/cost/anomalies', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials);
    res.json(await costs.anomalies(q));
  });

  router.get('/cost/entity/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { scope, entityRef } = entityOf(req.params);
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials, entityRef);
    res.json(await costs.cost(scope, entityRef, q));
  });

  router.get('/utilization/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials);
    res.json(await costs.utilization('fleet', null, q));
  });

  router.get('/utilization/entity/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { scope, entityRef } = entityOf(req.params);
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials, entityRef);
    let pool;
    if (scope === 'pool') {
      const name = entityRef.split('/')[1];
      const p = (await fleet.listPools()).find(
        x =>
          poolEntityName(x.cluster, x.name).toLocaleLowerCase('en-US') === name,
      );
      if (p) {
        pool = {
          nodes: p.nodes.current,
          gpusAllocatable: p.gpus.allocatable,
          gpusAllocated: p.gpus.allocated,
          capacityType: p.capacityType,
          gpusPerNode: p.gpu.perNode,
        };
      }
    }
    res.json(await costs.utilization(scope, entityRef, q, pool));
  });

  router.get('/bills/reconciliation', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials);
    res.json(await costs.reconciliation(q));
  });

  return router;
}
