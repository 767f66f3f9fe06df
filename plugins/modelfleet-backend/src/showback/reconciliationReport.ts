import { ReconciliationResponse } from '@modelfleet/plugin-modelfleet-common';
import { BillStore } from '../database/BillStore';
import { reconcile } from '../engines/showback';
import { CostReader } from './CostReader';

/**
 * Billed cost per source, provider and account against showback of the
 * provider's pools over [from, to).
 *
 * @internal
 */
export async function reconciliationReport(options: {
  reader: CostReader;
  bills: BillStore;
  q: { from: string; to: string };
}): Promise<ReconciliationResponse> {
  const { reader, bills, q } = options;
  const totals = await bills.totals(q.from, q.to);
  // Showback per provider: the pools' cost, pool refs carry no provider,
  // so sum the pool rows whose provenance names the provider.
  const pools = await reader.breakdown({
    scope: 'pool',
    from: q.from,
    to: q.to,
  });
  const byProvider = new Map<string, number>();
  for (const p of pools) {
    const prov = await reader.provenance('pool', p.entityRef, q.from, q.to);
    const provider = prov[0]?.subject.split(' ')[0] ?? 'other';
    byProvider.set(provider, (byProvider.get(provider) ?? 0) + p.costUsd);
  }
  // Several accounts of one provider share its showback: compare the sum.
  const grouped = new Map<
    string,
    {
      source: string;
      provider: string;
      accounts: string[];
      billedUsd: number;
      billLines: number;
    }
  >();
  for (const t of totals) {
    const key = `${t.source}|${t.provider}`;
    const g = grouped.get(key) ?? {
      source: t.source,
      provider: t.provider,
      accounts: [],
      billedUsd: 0,
      billLines: 0,
    };
    g.accounts.push(t.account);
    g.billedUsd += t.costUsd;
    g.billLines += t.lines;
    grouped.set(key, g);
  }
  return {
    items: reconcile(
      [...grouped.values()].map(g => ({
        source: g.source,
        provider: g.provider,
        account: g.accounts.join(', '),
        from: q.from,
        to: q.to,
        billedUsd: g.billedUsd,
        billLines: g.billLines,
      })),
      provider => byProvider.get(provider) ?? 0,
    ),
  };
}
