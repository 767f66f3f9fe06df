import { AppliedAction, LedgerRow } from './SavingsStore';
import { ledgerOfPoolDay } from './poolCounterfactual';
import type { LedgerDayInput } from './SavingsLedger';

const lower = (s: string) => s.toLocaleLowerCase('en-US');

/**
 * The ledger rows of the day's consolidations and lowered pool minimums:
 * one per action that
 * held, on its pool (`entityRef` the GpuPool, no team: the pool's nodes
 * are the platform's), priced at the pool's node price of the day as
 * showback prices the pool (`poolCounterfactual.ts`).
 */
export function poolLedgerRows(
  input: Pick<LedgerDayInput, 'day' | 'samples' | 'pools'>,
  actions: AppliedAction[],
  dayStart: number,
  dayEnd: number,
): { rows: LedgerRow[]; warnings: string[] } {
  const rows: LedgerRow[] = [];
  const warnings: string[] = [];
  const byPool = new Map<string, AppliedAction[]>();
  for (const a of actions) {
    if (!a.consolidation) {
      warnings.push(
        `${a.entityRef}: consolidation ${a.id} keeps no figures of its pool; its saving is not counted`,
      );
      continue;
    }
    const ref = lower(a.consolidation.pool.ref);
    byPool.set(ref, [...(byPool.get(ref) ?? []), a]);
  }
  for (const [ref, mine] of byPool) {
    const pool = input.pools.find(p => lower(p.poolRef) === ref);
    const price = pool?.usdPerNodeHour ?? undefined;
    if (price === undefined) {
      warnings.push(
        `${ref}: no node price on ${input.day}, so its consolidations are not counted that day`,
      );
      continue;
    }
    const figures = ledgerOfPoolDay({
      dayStart,
      dayEnd,
      samples: input.samples.pools
        .filter(p => lower(p.poolRef) === ref)
        .map(p => ({
          sampledAt: p.sampledAt.getTime(),
          seconds: p.seconds,
          nodes: p.nodes,
        })),
      actions: mine.map(a => ({
        id: a.id,
        finishedAt: a.finishedAt.getTime(),
        nodesBefore: a.consolidation!.nodesBefore,
        nodesEmptied:
          a.consolidation!.nodesFreed ?? a.consolidation!.nodes.length,
      })),
      usdPerNodeHour: price,
    });
    for (const f of figures) {
      const a = mine.find(x => x.id === f.actionId)!;
      const d = a.consolidation!;
      const n = d.nodesFreed ?? d.nodes.length;
      rows.push({
        day: input.day,
        actionId: a.id,
        kind: a.kind,
        entityRef: ref,
        teamRef: '',
        poolRef: ref,
        summary: d.minimum
          ? `Lowered the minimum of ${d.pool.title} from ${d.minimum.from} to ${d.minimum.to}`
          : `Emptied ${n === 1 ? 'a node' : `${n} nodes`} of ${
              d.pool.title
            } (${d.nodes.join(', ')})`,
        appliedAt: a.finishedAt,
        beforeUsd: f.beforeUsd,
        afterUsd: f.afterUsd,
        savedUsd: f.savedUsd,
        hours: f.hours,
      });
    }
  }
  return { rows, warnings };
}
