import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  MODEL_KIND,
  modelfleetCostReadPermission,
} from '@modelfleet/plugin-modelfleet-common';
import express from 'express';
import Router from 'express-promise-router';
import {
  addDays,
  daysBetween,
  parseDay,
  REPORT_DAYS,
} from '../engines/showback';
import { savingsReport } from '../savings/savingsReport';
import { LedgerFilter, SavingsStore } from '../savings/SavingsStore';
import { allowedRefs, authorizeOn } from './access';
import { callerOf, optionalQueryParam } from './common';
import { dayParam, MAX_PERIOD_DAYS } from './costQuery';
import { costReach } from './costAccess';

function refParam(query: Record<string, unknown>, name: 'team' | 'entity') {
  const value = optionalQueryParam(query, name);
  if (value === undefined) return undefined;
  const kind =
    name === 'team' ? 'group' : MODEL_KIND.toLocaleLowerCase('en-US');
  let ref;
  try {
    ref = parseEntityRef(value, { defaultKind: kind });
  } catch (e) {
    throw new InputError(
      `${name}: '${value.slice(0, 80)}' is not an entity reference (${
        (e as Error).message
      })`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== kind) {
    throw new InputError(
      `${name}: must be ${
        name === 'team' ? 'a Group' : 'a Model'
      } reference, got a ${ref.kind.slice(0, 40)}`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

/**
 * Reads `from`, `to` (inclusive days), `team` and `entity` of
 * `GET /savings`, or throws naming the bad one. By default: from the first
 * day of the month two months ago through today.
 */
export function readSavingsQuery(
  query: Record<string, unknown>,
  today: string,
): LedgerFilter {
  const to = dayParam(query, 'to') ?? today;
  const from = dayParam(query, 'from') ?? startOfMonthsBefore(to, 2);
  if (to < from) {
    throw new InputError(`to: must be on or after from (${from}), got ${to}`);
  }
  const days = daysBetween(from, addDays(to, 1));
  if (days > MAX_PERIOD_DAYS) {
    throw new InputError(
      `to: the period may span at most ${MAX_PERIOD_DAYS} days, got ${days}`,
    );
  }
  const team = refParam(query, 'team');
  const entity = refParam(query, 'entity');
  return {
    from,
    to,
    ...(team ? { teamRef: team } : {}),
    ...(entity ? { entityRef: entity } : {}),
  };
}

/** The first day of the month `n` months before the month of `day`. */
function startOfMonthsBefore(day: string, n: number): string {
  const d = parseDay(day);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1));
  const out = first.toISOString().slice(0, 10);
  return out < REPORT_DAYS.first ? REPORT_DAYS.first : out;
}

/**
 * `GET /savings?from=&to=&team=&entity=`: the savings ledger under the
 * cost-visibility rules: a platform team sees every model; others the
 * models of their teams; a `team` or `entity` the caller may not see is
 * refused (403).
 */
export function createSavingsRouter(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: SavingsStore;
  now?: () => Date;
}): express.Router {
  const { httpAuth, permissions, store } = options;
  const router = Router();
  router.get('/savings', async (req, res) => {
    const credentials = await callerOf(httpAuth, req);
    const today = (options.now?.() ?? new Date()).toISOString().slice(0, 10);
    const filter = readSavingsQuery(req.query, today);
    const reach = await costReach(permissions, credentials);
    if (reach === 'none') {
      throw new NotAllowedError('modelfleet.cost.read is not allowed');
    }
    for (const ref of [filter.teamRef, filter.entityRef]) {
      if (ref) {
        await authorizeOn(
          permissions,
          modelfleetCostReadPermission,
          ref,
          credentials,
        );
      }
    }
    const allowed =
      reach === 'all'
        ? undefined
        : (refs: string[]) =>
            allowedRefs(
              permissions,
              modelfleetCostReadPermission,
              refs,
              credentials,
            );
    res.json(await savingsReport(store, filter, allowed));
  });
  return router;
}
