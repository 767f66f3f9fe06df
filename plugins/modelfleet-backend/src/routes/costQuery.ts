import { InputError } from '@backstage/errors';
import {
  CostGranularity,
  CostScope,
} from '@modelfleet/plugin-modelfleet-common';
import {
  addDays,
  daysBetween,
  parseDay,
  REPORT_DAYS,
} from '../engines/showback';
import { CostQuery } from '../showback/CostReportService';
import { optionalQueryParam } from './common';

const GRANULARITIES: readonly CostGranularity[] = ['day', 'week', 'month'];
/** The longest period a report covers, in days. */
export const MAX_PERIOD_DAYS = 400;

/**
 * Catalog kinds with costs, as they appear in the URL. A Map, so that a kind
 * such as `constructor` or `__proto__` finds nothing rather than a property
 * every object inherits.
 */
const KINDS = new Map<string, Exclude<CostScope, 'fleet'>>([
  ['model', 'model'],
  ['gpupool', 'pool'],
  ['group', 'team'],
]);

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/**
 * A day parameter inside {@link REPORT_DAYS}, or an InputError naming it.
 * The range keeps every day the report derives from it (the previous period,
 * a default end) a four-digit year.
 */
export function dayParam(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = optionalQueryParam(query, name);
  if (value === undefined) return undefined;
  let valid: boolean;
  try {
    parseDay(value, name);
    valid = value >= REPORT_DAYS.first && value <= REPORT_DAYS.last;
  } catch {
    valid = false;
  }
  if (!valid) {
    throw new InputError(
      `${name}: must be a date as YYYY-MM-DD from ${REPORT_DAYS.first} to ${
        REPORT_DAYS.last
      }, got '${value.slice(0, 40)}'`,
    );
  }
  return value;
}

/** Reads `from`, `to` and `granularity` of a report, or throws naming the bad one. */
export function readCostQuery(
  query: Record<string, unknown>,
  fallback: CostQuery,
): CostQuery {
  const q = { ...fallback };
  const from = dayParam(query, 'from');
  const to = dayParam(query, 'to');
  const granularity = optionalQueryParam(query, 'granularity');
  if (from) q.from = from;
  if (to) q.to = to;
  if (from && !to) q.to = addDays(q.from, 30);
  if (to && !from) q.from = addDays(q.to, -30);
  if (q.to <= q.from) {
    throw new InputError(`to: must be after from (${q.from}), got ${q.to}`);
  }
  const days = daysBetween(q.from, q.to);
  if (days > MAX_PERIOD_DAYS) {
    throw new InputError(
      `to: the period may span at most ${MAX_PERIOD_DAYS} days, got ${days}`,
    );
  }
  if (granularity) {
    if (!GRANULARITIES.includes(granularity as CostGranularity)) {
      throw new InputError(
        `granularity: must be one of ${GRANULARITIES.join(
          ', ',
        )}, got '${granularity}'`,
      );
    }
    q.granularity = granularity as CostGranularity;
  }
  return q;
}

/**
 * The scope and entity ref of `/:kind/:namespace/:name`, or an InputError
 * naming the bad part.
 */
export function costEntityOf(params: Record<string, string>): {
  scope: Exclude<CostScope, 'fleet'>;
  entityRef: string;
} {
  // Names are ASCII (NAME); toLowerCase is what a locale-free lower case is.
  const kind = params.kind.toLowerCase();
  const scope = KINDS.get(kind);
  if (!scope) {
    throw new InputError(
      `kind: must be one of ${[...KINDS.keys()].join(
        ', ',
      )}, got '${params.kind.slice(0, 80)}'`,
    );
  }
  for (const p of ['namespace', 'name'] as const) {
    if (!NAME.test(params[p])) {
      throw new InputError(
        `${p}: '${params[p].slice(0, 80)}' is not an entity ${p}`,
      );
    }
  }
  return {
    scope,
    entityRef: `${kind}:${params.namespace}/${params.name}`.toLowerCase(),
  };
}
