import { ReconciliationItem } from '@modelfleet/plugin-modelfleet-common';

/**
 * Compares billed cost with showback per (source, account, period). Showback
 * is matched by provider: `showbackUsd` gives the showback cost of a
 * provider over a period.
 */
export function reconcile(
  bills: Array<{
    source: string;
    provider: string;
    account: string;
    from: string;
    to: string;
    billedUsd: number;
    billLines: number;
  }>,
  showbackUsd: (provider: string, from: string, to: string) => number,
): ReconciliationItem[] {
  return bills.map(b => {
    const showback = showbackUsd(b.provider, b.from, b.to);
    const difference = showback - b.billedUsd;
    return {
      ...b,
      showbackUsd: showback,
      differenceUsd: difference,
      differenceShare: b.billedUsd !== 0 ? difference / b.billedUsd : null,
    };
  });
}
