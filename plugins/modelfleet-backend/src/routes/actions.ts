import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ACTION_KINDS,
  ACTION_STATES,
  ActionKind,
  ActionsResponse,
  ActionState,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { ActionService } from '../actions/ActionService';
import { allowedRefs, authorizeOn } from './access';
import { actorOf, callerOf } from './common';

const MAX_LIMIT = 200;
const ID = /^[0-9a-f-]{36}$/;

function queryValues(query: Record<string, unknown>, name: string): string[] {
  const v = query[name];
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  if (!list.every(x => typeof x === 'string')) {
    throw new InputError(`${name}: must be a string`);
  }
  return (list as string[])
    .flatMap(x => x.split(','))
    .map(x => x.trim())
    .filter(Boolean);
}

function entityParam(query: Record<string, unknown>): string | undefined {
  const [value, ...more] = queryValues(query, 'entity');
  if (more.length) throw new InputError('entity: must be given once');
  if (value === undefined) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value)).toLocaleLowerCase('en-US');
  } catch (e) {
    throw new InputError(
      `entity: '${value.slice(0, 80)}' is not an entity reference (${
        (e as Error).message
      })`,
    );
  }
}

function statesParam(query: Record<string, unknown>): ActionState[] {
  const states = queryValues(query, 'state');
  for (const s of states) {
    if (!ACTION_STATES.includes(s as ActionState)) {
      throw new InputError(
        `state: must be one of ${ACTION_STATES.join(', ')}, got '${s.slice(
          0,
          40,
        )}'`,
      );
    }
  }
  return states as ActionState[];
}

function kindsParam(query: Record<string, unknown>): ActionKind[] {
  const kinds = queryValues(query, 'kind');
  for (const k of kinds) {
    if (!ACTION_KINDS.includes(k as ActionKind)) {
      throw new InputError(
        `kind: must be one of ${ACTION_KINDS.join(', ')}, got '${k.slice(
          0,
          40,
        )}'`,
      );
    }
  }
  return kinds as ActionKind[];
}

function limitParam(query: Record<string, unknown>): number {
  const [value] = queryValues(query, 'limit');
  if (value === undefined) return 50;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new InputError(
      `limit: must be a whole number from 1 to ${MAX_LIMIT}, got '${value.slice(
        0,
        20,
      )}'`,
    );
  }
  return n;
}

function idParam(id: string): string {
  if (!ID.test(id)) {
    throw new InputError(
      `id: must be an action id (a UUID), got '${id.slice(0, 80)}'`,
    );
  }
  return id;
}

/**
 * `GET /actions` (`?entity=`, `?state=`, `?kind=`, `?limit=`), `GET /actions/:id`, `POST /actions/:id/approve` and
 * `POST /actions/:id/cancel`, behind `modelfleet.recommendation.apply`.
 */
export function createActionsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  actions: ActionService;
}): express.Router {
  const { httpAuth, permissions, actions } = options;
  const router = Router();

  router.get('/actions', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const entityRef = entityParam(req.query);
    const states = statesParam(req.query);
    const kinds = kindsParam(req.query);
    const limit = limitParam(req.query);
    if (entityRef) {
      await authorizeOn(
        permissions,
        modelfleetRecommendationApplyPermission,
        entityRef,
        credentials,
      );
    }
    const listed = await actions.list({ entityRef, states, kinds, limit });
    // Across models: only those of the caller's teams.
    const visible = await allowedRefs(
      permissions,
      modelfleetRecommendationApplyPermission,
      listed.map(a => a.entityRef),
      credentials,
    );
    const body: ActionsResponse = {
      actions: listed.filter(a => visible.has(a.entityRef)),
    };
    res.json(body);
  });

  router.get('/actions/:id', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const id = idParam(req.params.id);
    const action = await actions.get(id);
    // Whoever asked for an action may follow it (the Deploy template does,
    // as the person deploying); others need the permission.
    if (!action) throw new NotFoundError(`no action with id '${id}'`);
    if (action.requestedBy !== actorOf(credentials)) {
      await authorizeOn(
        permissions,
        modelfleetRecommendationApplyPermission,
        action.entityRef,
        credentials,
      );
    }
    res.json(action);
  });

  for (const verb of ['approve', 'cancel'] as const) {
    router.post(`/actions/:id/${verb}`, async (req, res) => {
      const credentials = await callerOf(httpAuth, req);
      const id = idParam(req.params.id);
      const action = await actions.get(id);
      if (!action) throw new NotFoundError(`no action with id '${id}'`);
      await authorizeOn(
        permissions,
        modelfleetRecommendationApplyPermission,
        action.entityRef,
        credentials,
      );
      res.json(await actions[verb](id, actorOf(credentials)));
    });
  }

  return router;
}
