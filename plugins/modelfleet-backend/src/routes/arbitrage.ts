import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { modelfleetCostReadPermission } from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { ArbitrageReports } from '../arbitrage/ArbitrageReports';
import { authorizeOn } from './access';
import { callerOf, nameParam } from './common';

/**
 * `GET /models/:namespace/:name/arbitrage`: what a model would cost on
 * each pool it may run on, and the best move, behind
 * `modelfleet.cost.read` on the model (it tells the model's money).
 */
export function createArbitrageRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  reports: ArbitrageReports;
}): express.Router {
  const { httpAuth, permissions, reports } = options;
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
  return router;
}
