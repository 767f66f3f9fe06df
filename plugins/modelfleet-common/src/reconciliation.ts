/**
 * Bills against showback (`GET /api/modelfleet/bills/reconciliation`).
 */

/**
 * One period of a bill compared with showback.
 *
 * @public
 */
export interface ReconciliationItem {
  source: string;
  provider: string;
  account: string;
  /** `YYYY-MM-DD`, inclusive / exclusive. */
  from: string;
  to: string;
  billedUsd: number;
  showbackUsd: number;
  differenceUsd: number;
  /** difference / billed; null when nothing was billed. */
  differenceShare: number | null;
  /**
   * Which way the gap runs: showback above the bill, below it, or within
   * 1 % of it (`matches`).
   */
  direction: 'above-bill' | 'below-bill' | 'matches';
  /** Why a gap that way arises, in plain words. */
  explanation: string;
  billLines: number;
}

/**
 * Body of `GET /api/modelfleet/bills/reconciliation`.
 *
 * @public
 */
export interface ReconciliationResponse {
  items: ReconciliationItem[];
}
