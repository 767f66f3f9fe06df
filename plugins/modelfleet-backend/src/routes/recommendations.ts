import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  modelfleetCostReadPermission,
  modelfleetRecommendationApplyPermission,
  RECOMMENDATION_STATES,
  RecommendationApplyResponse,
  RecommendationsResponse,
  RecommendationState,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  applyRecommendation,
  RecommendationApplier,
} from '../recommendations/applyRecommendation';
import { applyOutcome } from '../recommendations/applyMessage';
import { Finding } from '../recommendations/fromActions';
import { RECOMMENDATION_ID } from '../recommendations/ids';
import { RecommendationService } from '../recommendations/RecommendationService';
import { RecommendationStateStore } from '../recommendations/RecommendationStateStore';
import { listWords } from '../recommendations/gatherConsolidationFindings';
import { EntityNames } from '../recommendations/names';
import { allowedRefs, authorizeOn } from './access';
import { actorOf, callerOf, objectBody, optionalQueryParam } from './common';
import { authorizeWholeFleet, costReach } from './costAccess';
import { NotAllowedError } from '@backstage/errors';

const MAX_SNOOZE_DAYS = 365;
const DAY_MS = 86400_000;

function refParam(
  query: Record<string, unknown>,
  name: 'entity' | 'team',
): string | undefined {
  const value = optionalQueryParam(query, name);
  if (value === undefined) return undefined;
  try {
    const ref = parseEntityRef(
      value,
      name === 'team' ? { defaultKind: 'group' } : undefined,
    );
    if (name === 'team' && ref.kind.toLocaleLowerCase('en-US') !== 'group') {
      throw new Error(`a team is a Group, not a ${ref.kind}`);
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch (e) {
    throw new InputError(
      `${name}: '${value.slice(0, 80)}' is not ${
        name === 'team' ? 'a Group' : 'an entity'
      } reference (${(e as Error).message})`,
    );
  }
}

function statesParam(query: Record<string, unknown>): RecommendationState[] {
  const value = optionalQueryParam(query, 'state');
  if (value === undefined) return ['open'];
  const states = value.split(',').map(s => s.trim());
  for (const s of states) {
    if (!RECOMMENDATION_STATES.includes(s as RecommendationState)) {
      throw new InputError(
        `state: must be one or more of ${RECOMMENDATION_STATES.join(
          ', ',
        )}, comma-separated, got '${s.slice(0, 40)}'`,
      );
    }
  }
  return states as RecommendationState[];
}

function idParam(id: string): string {
  if (!RECOMMENDATION_ID.test(id)) {
    throw new InputError(
      `id: must be a recommendation id (its kind, a dash and 16 hex digits), got '${id.slice(
        0,
        80,
      )}'`,
    );
  }
  return id;
}

/** `until` (a future ISO 8601 time) or `days` (1–365): when a snooze ends. */
export function snoozeUntil(body: Record<string, unknown>, now: Date): Date {
  const unknown = Object.keys(body).filter(k => k !== 'until' && k !== 'days');
  if (unknown.length) {
    throw new InputError(`${unknown[0]}: is not a field of a snooze request`);
  }
  const { until, days } = body;
  if ((until === undefined) === (days === undefined)) {
    throw new InputError(
      'until: give either until (a time) or days, not both nor neither',
    );
  }
  if (days !== undefined) {
    if (
      typeof days !== 'number' ||
      !Number.isInteger(days) ||
      days < 1 ||
      days > MAX_SNOOZE_DAYS
    ) {
      throw new InputError(
        `days: must be a whole number from 1 to ${MAX_SNOOZE_DAYS}, got ${JSON.stringify(
          days,
        )?.slice(0, 40)}`,
      );
    }
    return new Date(now.getTime() + days * DAY_MS);
  }
  const t = typeof until === 'string' ? Date.parse(until) : NaN;
  if (!Number.isFinite(t) || !/^\d{4}-\d{2}-\d{2}/.test(String(until))) {
    throw new InputError(
      `until: must be an ISO 8601 time, got ${JSON.stringify(until)?.slice(
        0,
        60,
      )}`,
    );
  }
  if (t <= now.getTime()) throw new InputError('until: must be in the future');
  if (t > now.getTime() + MAX_SNOOZE_DAYS * DAY_MS) {
    throw new InputError(`until: must be at most ${MAX_SNOOZE_DAYS} days away`);
  }
  return new Date(t);
}

/**
 * `GET /recommendations` (`?entity=`, `?team=`, `?state=`): the caller's
 * view, behind `modelfleet.cost.read` (a recommendation tells money);
 * `POST /recommendations/:id/{dismiss,snooze,restore}`: the caller's own
 * state of one; `POST /recommendations/:id/apply`: through the action
 * path, behind `modelfleet.recommendation.apply`.
 */
export function createRecommendationsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  recommendations: RecommendationService;
  states: RecommendationStateStore;
  applier: RecommendationApplier;
  now?: () => Date;
}): express.Router {
  const { httpAuth, permissions, recommendations, states, applier } = options;
  const now = () => options.now?.() ?? new Date();
  const router = Router();

  /** Which findings the caller may see: their models' and teams'; pools for platform teams. */
  const visibleTo = async (
    credentials: BackstageCredentials,
    findings: Finding[],
  ): Promise<Finding[]> => {
    const reach = await costReach(permissions, credentials);
    if (reach === 'none') {
      throw new NotAllowedError('modelfleet.cost.read is not allowed');
    }
    if (reach === 'all') return findings;
    const refs = findings.flatMap(f =>
      [f.subject.modelRef, f.subject.teamRef].filter((r): r is string => !!r),
    );
    const ok = await allowedRefs(
      permissions,
      modelfleetCostReadPermission,
      refs,
      credentials,
    );
    return findings.filter(
      f =>
        (f.subject.modelRef && ok.has(f.subject.modelRef)) ||
        (f.subject.teamRef && ok.has(f.subject.teamRef)),
    );
  };

  /** One finding the caller may see, or 404 / 403. */
  const findFor = async (credentials: BackstageCredentials, id: string) => {
    const finding = await recommendations.find(id);
    if (!finding) {
      throw new NotFoundError(
        `no recommendation with id '${id}' (it may have been applied, or no longer holds)`,
      );
    }
    if (!(await visibleTo(credentials, [finding])).length) {
      if (!finding.subject.modelRef && !finding.subject.teamRef) {
        await authorizeWholeFleet(permissions, credentials, 'shared capacity');
      }
      throw new NotAllowedError(
        `modelfleet.cost.read is not allowed on ${
          finding.subject.modelRef ?? finding.subject.teamRef
        }`,
      );
    }
    return finding;
  };

  router.get('/recommendations', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const entity = refParam(req.query, 'entity');
    const team = refParam(req.query, 'team');
    const wanted = statesParam(req.query);
    for (const ref of [entity, team]) {
      if (ref) {
        await authorizeOn(
          permissions,
          modelfleetCostReadPermission,
          ref,
          credentials,
        );
      }
    }
    const gathered = await recommendations.gather();
    const chosen = gathered.findings.filter(
      f =>
        (!entity ||
          f.subject.modelRef === entity ||
          f.subject.poolRef === entity ||
          f.subject.teamRef === entity) &&
        (!team || f.subject.teamRef === team),
    );
    const body: RecommendationsResponse = {
      items: await recommendations.viewOf(
        actorOf(credentials),
        await visibleTo(credentials, chosen),
        wanted,
      ),
      gatheredAt: gathered.gatheredAt.toISOString(),
      notes: gathered.notes,
    };
    res.json(body);
  });

  for (const verb of ['dismiss', 'snooze', 'restore'] as const) {
    router.post(`/recommendations/:id/${verb}`, async (req, res) => {
      const credentials = await callerOf(httpAuth, req);
      const id = idParam(req.params.id);
      const body = objectBody(req.body);
      const at = now();
      const until = verb === 'snooze' ? snoozeUntil(body, at) : undefined;
      if (verb !== 'snooze' && Object.keys(body).length) {
        throw new InputError(
          `${Object.keys(body)[0]}: is not a field of a ${verb} request`,
        );
      }
      const finding = await findFor(credentials, id);
      const user = actorOf(credentials);
      if (verb === 'dismiss') await states.dismiss(user, id, at);
      else if (verb === 'snooze') await states.snooze(user, id, until!, at);
      else await states.restore(user, id);
      const [view] = await recommendations.viewOf(
        user,
        [finding],
        [...RECOMMENDATION_STATES],
      );
      res.json(view);
    });
  }

  router.post('/recommendations/:id/apply', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const id = idParam(req.params.id);
    const body = objectBody(req.body);
    if (Object.keys(body).length) {
      throw new InputError(
        `${Object.keys(body)[0]}: is not a field of an apply request`,
      );
    }
    const finding = await findFor(credentials, id);
    await authorizeOn(
      permissions,
      modelfleetRecommendationApplyPermission,
      (finding.subject.modelRef ?? finding.subject.poolRef)!,
      credentials,
    );
    const { names, poolPlace } = await recommendations.gather();
    const { action, approved } = await applyRecommendation(applier, finding, {
      actor: actorOf(credentials),
      credentials,
      day: now().toISOString().slice(0, 10),
      authorize: ref =>
        authorizeOn(
          permissions,
          modelfleetRecommendationApplyPermission,
          ref,
          credentials,
        ),
    });
    recommendations.invalidate();
    const { source, subject } = finding;
    const to =
      action.details?.to.pool ??
      (source.type === 'rightsizing' ? source.pool : undefined);
    const outcome = applyOutcome(
      action,
      {
        model: subjectWords(finding, action.entityRef, names, poolPlace),
        ...(subject.teamRef ? { team: names.team(subject.teamRef) } : {}),
        ...(to ? { to: poolPlace(to) } : {}),
        ...(source.type === 'rightsizing' ? { replicas: source.replicas } : {}),
      },
      approved,
    );
    const out: RecommendationApplyResponse = {
      recommendationId: id,
      actionId: action.id,
      actionState: action.state,
      actionKind: action.kind,
      ...outcome,
    };
    res.json(out);
  });

  return router;
}

/** What an applied recommendation's sentence names, as people read it. */
function subjectWords(
  finding: Finding,
  actionRef: string,
  names: EntityNames,
  poolPlace: (ref: string) => string,
): string {
  const { source, subject } = finding;
  if (source.type === 'consolidation') {
    return `${source.nodes.length === 1 ? 'node' : 'nodes'} ${listWords(
      source.nodes,
    )} of ${poolPlace(source.poolRef)}`;
  }
  if (source.type === 'showback') {
    return source.pool && source.cluster
      ? `the pool ${source.pool} (${source.cluster})`
      : poolPlace(source.poolRef);
  }
  return names.model(subject.modelRef ?? actionRef);
}
