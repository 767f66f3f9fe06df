import { HttpAuthService } from '@backstage/backend-plugin-api';
import { DeploymentResponse } from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { DeploymentService } from '../deploy/DeploymentService';
import { jsonBody } from './requestParsing';

/**
 * `POST /deployments`: deploy a model's objects (see
 * {@link DeploymentService}). 201 with `{ action }` when an action was
 * stored, 200 with the stored one when the idempotency key was already
 * used, 200 with `{ dryRun: { objects } }` for a server dry-run.
 */
export function createDeploymentsRouter(options: {
  httpAuth: HttpAuthService;
  deployments: Pick<DeploymentService, 'deploy'>;
}): express.Router {
  const router = Router();
  // The API's parser (createRouter) has read the body already; this one
  // reads it when the router stands alone.
  router.post('/deployments', jsonBody(), async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const result = await options.deployments.deploy(req.body, credentials);
    if (result.type === 'dryRun') {
      const body: DeploymentResponse = { dryRun: { objects: result.objects } };
      res.status(200).json(body);
      return;
    }
    const body: DeploymentResponse = { action: result.action };
    res.status(result.created ? 201 : 200).json(body);
  });
  return router;
}
