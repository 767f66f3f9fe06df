import { ReconciliationItem } from '@modelfleet/plugin-modelfleet-common';

/** A gap within this share of the bill is rounding and timing, not a gap. */
const MATCH_SHARE = 0.01;

const EXPLANATIONS: Record<ReconciliationItem['direction'], string> = {
  'above-bill':
    "Showback is above the bill: showback prices every provisioned node-hour at the price book's price, while the bill carries what was charged after discounts, savings plans, credits and spot prices below the book, and a bill's last days often arrive a day or more late.",
  'below-bill':
    "Showback is below the bill: the bill also carries what showback does not price (storage, network, control planes, nodes outside ModelFleet's GPU pools) and any price above the price book's.",
  matches: 'Showback and the bill agree within 1 %.',
};

/**
 * Compares billed cost with showback per (source, account, period), and
 * says which way each gap runs and why. Showback is matched by provider:
 * `showbackUsd` gives the showback cost of a provider over a period.
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
    const share = b.billedUsd !== 0 ? difference / b.billedUsd : null;
    let direction: ReconciliationItem['direction'] = 'matches';
    if (share === null ? difference > 0.005 : share > MATCH_SHARE) {
      direction = 'above-bill';
    } else if (share === null ? difference < -0.005 : share < -MATCH_SHARE) {
      direction = 'below-bill';
    }
    return {
      ...b,
      showbackUsd: showback,
      differenceUsd: difference,
      differenceShare: share,
      direction,
      explanation: EXPLANATIONS[direction],
    };
  });
}
