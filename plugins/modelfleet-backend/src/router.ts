import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  modelfleetCostReadPermission,
  poolEntityName,
  ClustersResponse,
  GpuPoolsResponse,
  HealthResponse,
  ModelPlacementsResponse,
  ModelWorkloadsResponse,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { FleetStateStore } from './database/FleetStateStore';
import { PriceBookStore } from './database/PriceBookStore';
import { isCheapestEligible } from './prices/priceFlags';
import { PolicyService } from './policy/PolicyService';
import { FleetStatusService } from './service/FleetStatusService';
import { CostReportService } from './showback/CostReportService';
import { PlacementService } from './placement';
import { optionalQueryParam, requiredObjectBody } from './routes/common';
import { costEntityOf, readCostQuery } from './routes/costQuery';
import { jsonBody, requestErrors } from './routes/requestParsing';
import { allowedRefs, authorizeOn } from './routes/access';
import { currentPlacements } from './routes/placements';
import { modelNowOf } from './routes/modelNow';
import {
  anomaliesFor,
  authorizeWholeFleet,
  fleetCostFor,
  placementFor,
} from './routes/costAccess';
import { ModelDirectory } from './showback/ModelDirectory';

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
  /** Maps workloads to their Model entities (for what a caller may see). */
  directory: ModelDirectory;
  /** Routers of their own (actions, models), mounted after the JSON body parser. */
  routers?: express.Router[];
}

const PROVIDERS = ['aws', 'gcp', 'azure', 'other'] as const;

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
    directory,
  } = options;

  /** Allows the read of an entity's costs, or throws NotAllowedError. */
  const authorizeCost = (
    credentials: BackstageCredentials,
    entityRef: string,
  ) =>
    authorizeOn(
      permissions,
      modelfleetCostReadPermission,
      entityRef,
      credentials,
    );
  const caller = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  const router = Router();
  router.use(jsonBody());
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

  // Where each Model runs now, for the catalog's runsOn relations.
  router.get('/placements', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const items = await fleet.listWorkloads();
    const modelOf = await directory.lookup({ expectModels: items.length > 0 });
    const body: ModelPlacementsResponse = {
      items: currentPlacements(items, modelOf),
    };
    res.json(body);
  });

  router.get('/workloads', async (req, res) => {
    const credentials = await caller(req);
    const items = await fleet.listWorkloads();
    // Only the workloads of models whose costs the caller may see.
    const modelOf = await directory.lookup({ expectModels: items.length > 0 });
    const refs = items.map(w => modelOf(w).modelRef);
    const visible = await allowedRefs(
      permissions,
      modelfleetCostReadPermission,
      refs,
      credentials,
    );
    const body: ModelWorkloadsResponse = {
      items: items.filter((_, i) => visible.has(refs[i])),
    };
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
    const credentials = await caller(req);
    const answer = await placement.place(requiredObjectBody(req.body));
    res.json(await placementFor(permissions, credentials, answer));
  });

  router.get('/policies/effective', async (req, res) => {
    const credentials = await caller(req);
    const effective = policies.effective(optionalQueryParam(req.query, 'team'));
    // A team's policy holds its budget: its costs' readers may see it.
    if (effective.team) {
      await authorizeCost(
        credentials,
        effective.team.toLocaleLowerCase('en-US'),
      );
    }
    res.json(effective);
  });

  router.get('/cost/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    res.json(await fleetCostFor({ permissions, costs, credentials }, q));
  });

  router.get('/cost/anomalies', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    res.json(await anomaliesFor({ permissions, costs, credentials }, q));
  });

  router.get('/cost/entity/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { scope, entityRef } = costEntityOf(req.params);
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeCost(credentials, entityRef);
    res.json(await costs.cost(scope, entityRef, q));
  });

  router.get('/utilization/fleet', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeWholeFleet(permissions, credentials, 'fleet utilization');
    res.json(await costs.utilization('fleet', null, q));
  });

  router.get('/utilization/entity/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { scope, entityRef } = costEntityOf(req.params);
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
    let model;
    if (scope === 'model') {
      const workloads = await fleet.listWorkloads();
      model = modelNowOf(
        entityRef,
        workloads,
        await fleet.listPools(),
        await directory.lookup({ expectModels: workloads.length > 0 }),
      );
    }
    res.json(await costs.utilization(scope, entityRef, q, pool, model));
  });

  router.get('/bills/reconciliation', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const q = readCostQuery(req.query, costs.defaultQuery());
    await authorizeWholeFleet(permissions, credentials, 'the bill');
    res.json(await costs.reconciliation(q));
  });

  router.use(requestErrors(router));
  return router;
}
