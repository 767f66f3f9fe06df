import { BillLine, BillSource } from '@modelfleet/plugin-modelfleet-node';
import { BillStore, checkBillLine } from '../database/BillStore';

/** Result of one ingestion run. */
export interface IngestResult {
  source: string;
  lines: number;
  removed: number;
}

/**
 * Ingests one source's bill lines of a window: checked, written in batches
 * (each its own transaction) under their (source, account, period,
 * resource) key. Re-running a window changes nothing; a run that dies
 * midway keeps what it wrote and the next run completes it without
 * duplicates. A line seen twice in one run is an error of the source.
 */
export async function ingestBills(options: {
  source: BillSource;
  store: BillStore;
  window: { start: Date; end: Date };
  clock?: () => Date;
  batchSize?: number;
}): Promise<IngestResult> {
  const { source, store, window } = options;
  const now = options.clock ?? (() => new Date());
  const batchSize = options.batchSize ?? 500;
  const id = await store.beginIngestion(source.id, window, now());
  const seen = new Set<string>();
  let batch: BillLine[] = [];
  let lines = 0;
  const flush = async () => {
    if (!batch.length) return;
    await store.writeLines(id, batch, now());
    lines += batch.length;
    batch = [];
  };
  try {
    for await (const raw of source.fetchLines(window)) {
      const line = checkBillLine(raw, source.id);
      const key = [
        line.account,
        line.periodStart,
        line.periodEnd,
        line.resourceId,
      ].join('\u0000');
      if (seen.has(key)) {
        throw new Error(
          `bill line of ${source.id}: account ${line.account}, resource ${line.resourceId}, period ${line.periodStart} appears twice; a source must sum its lines per resource and period`,
        );
      }
      seen.add(key);
      batch.push(line);
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await store.finishIngestion(id, { lines, error }, now());
    throw new Error(
      `Bill source ${source.id} failed after ${lines} line(s): ${error}`,
    );
  }
  const removed = await store.finishIngestion(id, { lines }, now());
  return { source: source.id, lines, removed };
}
