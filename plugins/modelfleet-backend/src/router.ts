import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
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

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  fleetStatus: FleetStatusService;
  policies: PolicyService;
  fleet: FleetStateStore;
  prices: PriceBookStore;
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
  const { httpAuth, fleetStatus, policies, fleet, prices } = options;
  const router = Router();
  router.use(express.json());

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

  router.get('/policies/effective', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(policies.effective(optionalQueryParam(req.query, 'team')));
  });

  return router;
}
