import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  modelfleetCostReadPermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
import { ArbitrageReports } from '../arbitrage/ArbitrageReports';
import { Migrations } from '../arbitrage/Migrations';
import { authorizeOn } from './access';
import {
  actorOf,
  callerOf,
  nameParam,
  reasonOf,
  requiredObjectBody,
} from './common';

const MOVE_FIELDS = new Set(['pool', 'reason', 'dryRun']);

/**
 * `GET /models/:namespace/:name/arbitrage`: what a model would cost on
 * each pool it may run on, and the best move, behind
 * `modelfleet.cost.read` on the model (it tells the model's money).
 *
 * `POST /models/:namespace/:name/migrations` (`{pool, reason?, dryRun?}`,
 * an optional `Idempotency-Key` header): move the model to a pool, as a
 * `migrate` action, behind `modelfleet.recommendation.apply`; it waits
 * for approval when asked (`dryRun`) or when the team's policy is dry-run.
 */
export function createArbitrageRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  reports: ArbitrageReports;
  migrations: Migrations;
}): express.Router {
  const { httpAuth, permissions, reports, migrations } = options;
  const router = Router();
  router.get('/models/:namespace/:name/arbitrage', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const namespace = nameParam(req.params.namespace, 'namespace');
    const name = nameParam(req.params.name, 'name');
    res.json(
      await reports.report(namespace, name, credentials, ref =>
        authorizeOn(
          permissions,
          modelfleetCostReadPermission,
          ref,
          credentials,
        ),
      ),
    );
  });
  router.post('/models/:namespace/:name/migrations', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const namespace = nameParam(req.params.namespace, 'namespace');
    const name = nameParam(req.params.name, 'name');
    const body = requiredObjectBody(req.body);
    const unknown = Object.keys(body).filter(k => !MOVE_FIELDS.has(k));
    if (unknown.length) {
      throw new InputError(`${unknown[0]}: is not a field of a move request`);
    }
    const { pool, dryRun } = body;
    if (typeof pool !== 'string' || !pool.trim() || pool.length > 400) {
      throw new InputError(
        'pool: must be a GpuPool entity ref, e.g. gpupool:default/demo-gcp-usc1.g2-l4',
      );
    }
    if (dryRun !== undefined && typeof dryRun !== 'boolean') {
      throw new InputError('dryRun: must be true or false');
    }
    const reason = reasonOf(body);
    const key = req.get('idempotency-key');
    if (key !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(key)) {
      throw new InputError(
        'Idempotency-Key: must be 1 to 200 letters, digits, or . _ : -',
      );
    }
    const { action, created } = await migrations.request(
      namespace,
      name,
      {
        pool: pool.trim(),
        dryRun: dryRun === true,
        requestedBy: actorOf(credentials),
        ...(reason ? { reason } : {}),
        idempotencyKey: `migrate:${namespace}/${name}:${key ?? randomUUID()}`,
      },
      credentials,
      async ref => {
        await authorizeOn(
          permissions,
          modelfleetRecommendationApplyPermission,
          ref,
          credentials,
        );
      },
    );
    res.status(created ? 201 : 200).json(action);
  });
  return router;
}
