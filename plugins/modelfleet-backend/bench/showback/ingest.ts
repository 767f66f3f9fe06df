/*
 * Bill ingestion of yarn bench:showback: BENCH_BILL_LINES lines of a
 * month, a resource a line, in batches of 500.
 */
import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import { Knex } from 'knex';
import { BillStore } from '../../src/database/BillStore';
import { ingestBills } from '../../src/showback/ingestBills';
import { options } from './fleet';

const { billLines: BILL_LINES, models: MODELS } = options;

/** Ingests the lines; returns lines per second. */
export async function ingest(knex: Knex) {
  const bills = new BillStore(knex);
  const window = {
    start: new Date('2026-10-01T00:00:00Z'),
    end: new Date('2026-11-01T00:00:00Z'),
  };
  const perDay = Math.ceil(BILL_LINES / 31);
  const source = {
    id: 'bench-bill',
    async *fetchLines(): AsyncIterable<BillLine> {
      let n = 0;
      for (let d = 0; d < 31 && n < BILL_LINES; d++) {
        const start = new Date(window.start.getTime() + d * 86_400_000);
        for (let r = 0; r < perDay && n < BILL_LINES; r++, n++) {
          yield {
            source: 'bench-bill',
            provider: 'aws',
            account: `acct-${r % 7}`,
            periodStart: start.toISOString(),
            periodEnd: new Date(start.getTime() + 86_400_000).toISOString(),
            resourceId: `i-${r.toString(16).padStart(17, '0')}`,
            tags: { 'modelfleet.io/model': `bench-model-${r % MODELS}` },
            costUsd: ((r * 7919) % 1000) / 10,
          };
        }
      }
    },
  };
  const t = Date.now();
  const r = await ingestBills({ source, store: bills, window });
  return r.lines / ((Date.now() - t) / 1000);
}
