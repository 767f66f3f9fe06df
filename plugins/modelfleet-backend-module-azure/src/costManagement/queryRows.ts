import { MODEL_WORKLOAD_LABEL } from '@modelfleet/plugin-modelfleet-common';
import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { DAY_MS, DayRange, parseUsageDate } from './days';

/** What a rows page is read with. */
export interface RowReading {
  source: string;
  /** The scope queried, with a leading slash. */
  scope: string;
  /** The aggregated cost column: `Cost` (billing currency) or `CostUSD`. */
  costColumn: string;
  /** The Azure tag grouped by, reported as `modelfleet.io/model`. */
  tagKey: string;
  /** Days the query asked for; rows of other days are dropped. */
  days: DayRange;
}

interface Columns {
  cost: number;
  date: number;
  resource: number;
  tagKey?: number;
  tagValue?: number;
  currency?: number;
}

/** A resource id without one names the charge as `unassigned`. */
export const UNASSIGNED_RESOURCE = 'unassigned';

function columnIndexes(columns: unknown, costColumn: string): Columns {
  if (!Array.isArray(columns)) {
    throw new Error('properties.columns is not an array');
  }
  const names = columns.map((c, i) => {
    const name = (c as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') {
      throw new Error(`properties.columns[${i}].name is not a string`);
    }
    return name;
  });
  const find = (name: string) => {
    const i = names.findIndex(n => n.toLowerCase() === name.toLowerCase());
    return i < 0 ? undefined : i;
  };
  const need = (name: string) => {
    const i = find(name);
    if (i === undefined) {
      throw new Error(
        `properties.columns has no '${name}' column (columns: ${
          names.join(', ') || 'none'
        })`,
      );
    }
    return i;
  };
  return {
    cost: need(costColumn),
    date: need('UsageDate'),
    resource: need('ResourceId'),
    tagKey: find('TagKey'),
    tagValue: find('TagValue'),
    currency: find('Currency'),
  };
}

/** `/subscriptions/<id>/…` → `<id>`. */
function subscriptionOf(resourceId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1]?.toLowerCase();
}

/** `/subscriptions/…/providers/microsoft.compute/virtualmachinescalesets/x` → `microsoft.compute/virtualmachinescalesets`. */
function resourceTypeOf(resourceId: string): string | undefined {
  const m = /\/providers\/([^/]+)\/([^/]+)\/[^/]+/i.exec(resourceId);
  return m ? `${m[1]}/${m[2]}`.toLowerCase() : undefined;
}

/**
 * Adds one page of query rows to `lines`, summing rows of the same
 * (account, day, resource). Throws naming the row and column that is wrong.
 */
export function addQueryRows(
  page: { columns?: unknown; rows?: unknown },
  reading: RowReading,
  lines: Map<string, BillLine>,
): void {
  const col = columnIndexes(page.columns, reading.costColumn);
  if (!Array.isArray(page.rows)) {
    throw new Error('properties.rows is not an array');
  }
  const usd = reading.costColumn.toLowerCase() === 'costusd';
  if (!usd && col.currency === undefined) {
    throw new Error(
      `properties.columns has no 'Currency' column, so the currency of '${reading.costColumn}' is unknown`,
    );
  }
  page.rows.forEach((row: unknown, i) => {
    const at = `properties.rows[${i}]`;
    if (!Array.isArray(row)) throw new Error(`${at} is not an array`);
    const cost = row[col.cost];
    if (typeof cost !== 'number' || !Number.isFinite(cost)) {
      throw new Error(
        `${at}[${col.cost}] (${reading.costColumn}) is ${JSON.stringify(
          cost,
        )}, expected a number`,
      );
    }
    if (!usd) {
      const currency = row[col.currency!];
      if (currency !== 'USD') {
        throw new Error(
          `${at}[${col.currency}] (Currency) is ${JSON.stringify(currency)}: '${
            reading.costColumn
          }' is not in USD; query the CostUSD column instead`,
        );
      }
    }
    const day = parseUsageDate(row[col.date]);
    if (day === undefined) {
      throw new Error(
        `${at}[${col.date}] (UsageDate) is ${JSON.stringify(
          row[col.date],
        )}, expected a day like 20261130`,
      );
    }
    if (day < reading.days.start || day >= reading.days.end) return;
    const rawResource = row[col.resource];
    if (rawResource !== null && typeof rawResource !== 'string') {
      throw new Error(
        `${at}[${col.resource}] (ResourceId) is ${JSON.stringify(
          rawResource,
        )}, expected a string`,
      );
    }
    const resourceId = rawResource || UNASSIGNED_RESOURCE;
    const tag =
      col.tagKey !== undefined &&
      col.tagValue !== undefined &&
      typeof row[col.tagKey] === 'string' &&
      row[col.tagKey].toLowerCase() === reading.tagKey.toLowerCase() &&
      typeof row[col.tagValue] === 'string' &&
      row[col.tagValue] !== ''
        ? (row[col.tagValue] as string)
        : undefined;

    const account = subscriptionOf(resourceId) ?? reading.scope;
    const periodStart = new Date(day).toISOString();
    const key = `${account}\u0000${periodStart}\u0000${resourceId}`;
    const line = lines.get(key);
    if (line) {
      line.costUsd += cost;
      if (tag && !line.tags[MODEL_WORKLOAD_LABEL]) {
        line.tags[MODEL_WORKLOAD_LABEL] = tag;
        line.tags[reading.tagKey] = tag;
      }
      return;
    }
    const service = resourceTypeOf(resourceId);
    lines.set(key, {
      source: reading.source,
      provider: 'azure',
      account,
      periodStart,
      periodEnd: new Date(day + DAY_MS).toISOString(),
      resourceId,
      ...(service ? { service } : {}),
      tags: tag ? { [MODEL_WORKLOAD_LABEL]: tag, [reading.tagKey]: tag } : {},
      costUsd: cost,
    });
  });
}
