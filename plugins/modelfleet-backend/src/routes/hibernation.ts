import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { modelfleetCostReadPermission } from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { HibernationReports } from '../hibernation/HibernationReports';
import { CostReportService } from '../showback/CostReportService';
import { authorizeOn } from './access';
import { callerOf, nameParam } from './common';
import { addDays } from '../engines/showback';
import { readCostQuery } from './costQuery';

/**
 * `GET /models/:namespace/:name/hibernation?from=&to=`: a model's
 * hibernation over a period, behind `modelfleet.cost.read` on the model
 * (it tells the model's money: what its time at zero saved).
 */
export function createHibernationRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  reports: HibernationReports;
  costs: CostReportService;
}): express.Router {
  const { httpAuth, permissions, reports, costs } = options;
  const router = Router();
  router.get('/models/:namespace/:name/hibernation', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const namespace = nameParam(req.params.namespace, 'namespace');
    const name = nameParam(req.params.name, 'name');
    // By default the last 30 days and today: a wake of this morning counts.
    const last = costs.defaultQuery();
    const query = readCostQuery(req.query as Record<string, unknown>, {
      ...last,
      from: addDays(last.from, 1),
      to: addDays(last.to, 1),
    });
    res.json(
      await reports.report(namespace, name, query, credentials, ref =>
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
