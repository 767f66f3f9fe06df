import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';

const LINES = 'modelfleet_bill_lines';
const INGESTIONS = 'modelfleet_bill_ingestions';
const KEY = ['source', 'account', 'period_start', 'period_end', 'resource_id'];

/** Billed totals of one source, provider and account over a period. */
export interface BillTotal {
  source: string;
  provider: string;
  account: string;
  costUsd: number;
  lines: number;
}

/** A run of bill ingestion. */
export interface BillIngestion {
  id: number;
  source: string;
  windowStart: string;
  windowEnd: string;
  startedAt: string;
  finishedAt?: string;
  status: 'running' | 'succeeded' | 'failed';
  lines: number;
  error?: string;
}

const iso = (v: string, field: string) => {
  const d = new Date(v);
  if (typeof v !== 'string' || isNaN(d.getTime())) {
    throw new Error(`${field}: must be an ISO 8601 time, got '${v}'`);
  }
  return d.toISOString();
};

/**
 * Checks a bill line from a source; throws naming the field. Returns the
 * line with its times normalized to ISO 8601 UTC.
 */
export function checkBillLine(line: BillLine, source: string): BillLine {
  const where = `bill line of ${source}`;
  if (line?.source !== source) {
    throw new Error(
      `${where}: source is '${line?.source}', expected '${source}'`,
    );
  }
  for (const field of ['account', 'resourceId', 'provider'] as const) {
    if (typeof line[field] !== 'string' || line[field] === '') {
      throw new Error(`${where}: ${field} is missing`);
    }
  }
  if (typeof line.costUsd !== 'number' || !Number.isFinite(line.costUsd)) {
    throw new Error(`${where} ${line.resourceId}: costUsd is not a number`);
  }
  const periodStart = iso(
    line.periodStart,
    `${where} ${line.resourceId}: periodStart`,
  );
  const periodEnd = iso(
    line.periodEnd,
    `${where} ${line.resourceId}: periodEnd`,
  );
  if (periodEnd <= periodStart) {
    throw new Error(
      `${where} ${line.resourceId}: periodEnd must be after periodStart`,
    );
  }
  return { ...line, periodStart, periodEnd, tags: line.tags ?? {} };
}

/**
 * Ingested bill lines, one per (source, account, period, resource). Lines
 * are written in batches, each in its own transaction, keyed so that a
 * re-run overwrites rather than duplicates: re-ingesting a window changes
 * nothing, and a run that dies midway keeps the batches it wrote, which the
 * next run overwrites with the same values. Only a run that finished
 * removes lines of its window it did not see (a bill revised by the cloud).
 *
 * @internal
 */
export class BillStore {
  constructor(private readonly db: Knex) {}

  async beginIngestion(
    source: string,
    window: { start: Date; end: Date },
    at: Date,
  ): Promise<number> {
    const [row] = await this.db(INGESTIONS)
      .insert({
        source,
        window_start: window.start.toISOString(),
        window_end: window.end.toISOString(),
        started_at: at,
        status: 'running',
      })
      .returning('id');
    return Number(typeof row === 'object' ? row.id : row);
  }

  /** Writes a batch of checked lines in one transaction. */
  async writeLines(
    ingestionId: number,
    lines: BillLine[],
    at: Date,
  ): Promise<void> {
    const rows = lines.map(l => ({
      source: l.source,
      provider: l.provider,
      account: l.account,
      period_start: l.periodStart,
      period_end: l.periodEnd,
      resource_id: l.resourceId,
      service: l.service ?? null,
      tags: JSON.stringify(l.tags ?? {}),
      cost_usd: l.costUsd,
      usage_quantity: l.usage?.quantity ?? null,
      usage_unit: l.usage?.unit ?? null,
      ingestion_id: ingestionId,
      ingested_at: at,
    }));
    await this.db.transaction(async tx => {
      for (let i = 0; i < rows.length; i += 200) {
        await tx(LINES)
          .insert(rows.slice(i, i + 200))
          .onConflict(KEY)
          .merge([
            'provider',
            'service',
            'tags',
            'cost_usd',
            'usage_quantity',
            'usage_unit',
            'ingestion_id',
            'ingested_at',
          ]);
      }
    });
  }

  /**
   * Ends a run. A run that succeeded removes the lines of its source and
   * window that it did not write.
   */
  async finishIngestion(
    id: number,
    result: { lines: number; error?: string },
    at: Date,
  ): Promise<number> {
    return this.db.transaction(async tx => {
      let removed = 0;
      if (!result.error) {
        const run = await tx(INGESTIONS).where({ id }).first();
        removed = await tx(LINES)
          .where({ source: run.source })
          .andWhere('period_start', '>=', run.window_start)
          .andWhere('period_start', '<', run.window_end)
          .andWhere('ingestion_id', '<>', id)
          .delete();
      }
      await tx(INGESTIONS)
        .where({ id })
        .update({
          finished_at: at,
          status: result.error ? 'failed' : 'succeeded',
          lines: result.lines,
          error: result.error ?? null,
        });
      return removed;
    });
  }

  /** Billed totals per source, provider and account of lines starting in [from, to). */
  async totals(from: string, to: string): Promise<BillTotal[]> {
    const rows = await this.db(LINES)
      .select('source', 'provider', 'account')
      .sum({ cost: 'cost_usd' })
      .count({ n: '*' })
      .where('period_start', '>=', new Date(`${from}T00:00:00Z`).toISOString())
      .andWhere('period_start', '<', new Date(`${to}T00:00:00Z`).toISOString())
      .groupBy('source', 'provider', 'account')
      .orderBy(['source', 'provider', 'account']);
    return rows.map((r: any) => ({
      source: r.source,
      provider: r.provider,
      account: r.account,
      costUsd: Number(r.cost),
      lines: Number(r.n),
    }));
  }

  async ingestions(limit = 20): Promise<BillIngestion[]> {
    const rows = await this.db(INGESTIONS).orderBy('id', 'desc').limit(limit);
    return rows.map(r => ({
      id: Number(r.id),
      source: r.source,
      windowStart: r.window_start,
      windowEnd: r.window_end,
      startedAt: new Date(r.started_at).toISOString(),
      ...(r.finished_at
        ? { finishedAt: new Date(r.finished_at).toISOString() }
        : {}),
      status: r.status,
      lines: Number(r.lines),
      ...(r.error ? { error: r.error } : {}),
    }));
  }
}
