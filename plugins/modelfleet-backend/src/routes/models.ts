import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  FINAL_ACTION_STATES,
  ModelActionsCapabilities,
  modelfleetModelHibernatePermission,
  modelfleetRecommendationApplyPermission,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import { randomUUID } from 'node:crypto';
import { ActionService } from '../actions/ActionService';
import { ModelTargets, ResolvedModel } from '../actions/ModelTargets';
import {
  MAX_MANUAL_REPLICAS,
  ModelRequest,
  planModelAction,
} from '../engines/actions/modelPlans';
import { PolicyService } from '../policy/PolicyService';
import { supersededByPerson } from '../actions/supersede';
import { authorizeOn, isAllowedOn } from './access';
import { actorOf, callerOf, nameParam, objectBody, reasonOf } from './common';

const ACTIVE_STATES = [
  'planned',
  'applying',
  'verifying',
  'rollingBack',
] as const;

function replicasOf(
  body: Record<string, unknown>,
  required: boolean,
  min: number,
) {
  const { replicas } = body;
  if (replicas === undefined && !required) return undefined;
  if (
    typeof replicas !== 'number' ||
    !Number.isInteger(replicas) ||
    replicas < min ||
    replicas > MAX_MANUAL_REPLICAS
  ) {
    throw new InputError(
      `replicas: must be a whole number from ${min} to ${MAX_MANUAL_REPLICAS}, got ${JSON.stringify(
        replicas,
      )?.slice(0, 40)}`,
    );
  }
  return replicas;
}

/**
 * `GET /models/:namespace/:name/capabilities` and
 * `POST /models/:namespace/:name/{scale,hibernate,wake,sleep}`: what a person may
 * do with a model, and doing it through the action path, behind
 * `modelfleet.model.hibernate`. The owner team's policy decides whether the
 * action waits for approval (`dryRun`).
 */
export function createModelsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  actions: ActionService;
  targets: ModelTargets;
  policies: PolicyService;
}): express.Router {
  const { httpAuth, permissions, actions, targets, policies } = options;
  const router = Router();

  const dryRunOf = (model: ResolvedModel) => {
    try {
      return policies.effective(model.teamRef || undefined).policy.dryRun;
    } catch {
      // An owner that is not a Group: the defaults apply.
      return policies.effective().policy.dryRun;
    }
  };

  router.get('/models/:namespace/:name/capabilities', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const namespace = nameParam(req.params.namespace, 'namespace');
    const name = nameParam(req.params.name, 'name');
    const model = await targets.resolve(namespace, name, credentials);
    const [mayAct, mayApprove] = await Promise.all([
      isAllowedOn(
        permissions,
        modelfleetModelHibernatePermission,
        model.entityRef,
        credentials,
      ),
      isAllowedOn(
        permissions,
        modelfleetRecommendationApplyPermission,
        model.entityRef,
        credentials,
      ),
    ]);
    // A policy's proposal still planned gives way to what a person asks.
    const pending = (
      await actions.list({
        entityRef: model.entityRef,
        states: [...ACTIVE_STATES],
        limit: 1,
      })
    ).filter(a => !supersededByPerson(a))[0];
    const offer = (request: ModelRequest) => {
      if (!mayAct) {
        return {
          allowed: false,
          reason:
            'You need the modelfleet.model.hibernate permission on this model (its team and the platform teams have it)',
        };
      }
      if (!model.target) return { allowed: false, reason: model.missing };
      if (pending) {
        return {
          allowed: false,
          reason: `Another action on this model is ${pending.state}; approve, cancel or wait for it`,
        };
      }
      const plan = planModelAction(model.target, request);
      return plan.ok
        ? { allowed: true }
        : {
            allowed: false,
            reason: `${plan.reason[0].toLocaleUpperCase(
              'en-US',
            )}${plan.reason.slice(1)}`,
          };
    };
    const t = model.target;
    const body: ModelActionsCapabilities = {
      entityRef: model.entityRef,
      ...(t ? { workload: t.workload, replicas: t.replicas } : {}),
      ...(t?.autoscaler
        ? {
            autoscaler: {
              cluster: t.autoscaler.cluster,
              namespace: t.autoscaler.namespace,
              kind: t.autoscaler.kind,
              name: t.autoscaler.name,
            },
          }
        : {}),
      // Scale is always possible to some count; the dialog picks it.
      scale:
        mayAct && t && !pending
          ? { allowed: true }
          : offer({ kind: 'scale', replicas: -1 }),
      hibernate: offer({ kind: 'hibernate' }),
      wake: offer({ kind: 'wake' }),
      ...(t?.engine ? { sleep: offer({ kind: 'sleep' }) } : {}),
      approve: mayApprove
        ? { allowed: true }
        : {
            allowed: false,
            reason:
              'You need the modelfleet.recommendation.apply permission on this model (its team and the platform teams have it)',
          },
      dryRun: dryRunOf(model),
    };
    res.json(body);
  });

  for (const kind of ['scale', 'hibernate', 'wake', 'sleep'] as const) {
    router.post(`/models/:namespace/:name/${kind}`, async (req, res) => {
      const credentials = await callerOf(httpAuth, req);
      const namespace = nameParam(req.params.namespace, 'namespace');
      const name = nameParam(req.params.name, 'name');
      const body = objectBody(req.body);
      const unknown = Object.keys(body).filter(
        k =>
          !['replicas', 'reason'].includes(k) ||
          (k === 'replicas' && (kind === 'hibernate' || kind === 'sleep')),
      );
      if (unknown.length) {
        throw new InputError(
          `${unknown[0]}: is not a field of a ${kind} request`,
        );
      }
      let request: ModelRequest;
      if (kind === 'scale') {
        request = { kind, replicas: replicasOf(body, true, 0)! };
      } else if (kind === 'wake') {
        const n = replicasOf(body, false, 1);
        request = n === undefined ? { kind } : { kind, replicas: n };
      } else {
        request = { kind };
      }
      const reason = reasonOf(body);
      const key = req.get('idempotency-key');
      if (key !== undefined && !/^[A-Za-z0-9._:-]{1,200}$/.test(key)) {
        throw new InputError(
          'Idempotency-Key: must be 1 to 200 letters, digits, or . _ : -',
        );
      }
      const model = await targets.resolve(namespace, name, credentials);
      await authorizeOn(
        permissions,
        modelfleetModelHibernatePermission,
        model.entityRef,
        credentials,
      );
      if (key !== undefined) {
        // The same request again (a retry after a lost answer): the action
        // it made, whatever became of it.
        const stored = await actions.byKey(`${kind}:${model.entityRef}:${key}`);
        if (stored) {
          res.status(200).json(stored);
          return;
        }
      }
      if (!model.target) {
        throw new ConflictError(`${kind}: ${model.missing}`);
      }
      const active = await actions.list({
        entityRef: model.entityRef,
        states: [...ACTIVE_STATES],
        limit: 1,
      });
      const actor = actorOf(credentials);
      const superseded = active.length && supersededByPerson(active[0]);
      if (active.length && !superseded) {
        const a = active[0];
        if (a.kind === kind && !FINAL_ACTION_STATES.includes(a.state)) {
          // The same request again (a second click): the action in hand.
          res.status(200).json(a);
          return;
        }
        throw new ConflictError(
          `${kind}: another action on this model (${a.kind}, ${a.id}) is ${a.state}; approve, cancel or wait for it first`,
        );
      }
      const plan = planModelAction(model.target, request);
      if (!plan.ok) throw new ConflictError(`${kind}: not now, ${plan.reason}`);
      if (superseded) await actions.cancel(active[0].id, actor);

      const { action, created } = await actions.request({
        idempotencyKey: `${kind}:${model.entityRef}:${key ?? randomUUID()}`,
        kind: plan.kind,
        entityRef: model.entityRef,
        cluster: plan.cluster,
        steps: plan.steps,
        dryRun: dryRunOf(model),
        requestedBy: actor,
        reason: reason ? `${plan.summary}: ${reason}` : plan.summary,
      });
      res
        .status(created ? 201 : 200)
        .json((await actions.get(action.id)) ?? action);
    });
  }

  return router;
}
