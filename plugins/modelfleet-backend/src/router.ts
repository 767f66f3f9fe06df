import { HttpAuthService } from '@backstage/backend-plugin-api';
import { HealthResponse } from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { FleetStatusService } from './service/FleetStatusService';

/** @internal */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  fleetStatus: FleetStatusService;
}

/**
 * The ModelFleet REST API. Thin: authenticate, call a service, answer.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, fleetStatus } = options;
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

  return router;
}
