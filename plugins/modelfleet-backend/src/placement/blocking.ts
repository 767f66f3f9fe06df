import {
  formatUsd,
  PlacementExclusion,
  PlacementOption,
  PlacementRequestBody,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';

/**
 * Adds to `blocking` why the model cannot go anywhere (no pool left), or
 * not to the pool it picked, and returns that pick. When pools that fit
 * are over the model's own budget, the reason names `monthlyBudgetUsd`
 * and what the cheapest of them charges, so the field to change is clear.
 */
export function explainBlocks(input: {
  req: PlacementRequestBody;
  quoteReplicas: number;
  ranked: PlacementOption[];
  excluded: PlacementExclusion[];
  /** The least a pool over the model's own budget charges a month; Infinity if none. */
  overBudgetUsd: number;
  blocking: string[];
}): PlacementResponse['picked'] {
  const { req, ranked, excluded, blocking } = input;
  if (ranked.length === 0) {
    const codes = [...new Set(excluded.map(e => e.code))].join(', ');
    blocking.push(
      `No GPU pool can take ${input.quoteReplicas} replica(s) of ${
        req.name
      } under the request and policy (${excluded.length} pools excluded: ${
        codes || 'no pools known'
      })`,
    );
    if (req.monthlyBudgetUsd !== undefined && input.overBudgetUsd < Infinity) {
      blocking.push(
        `monthlyBudgetUsd: the model's budget of ${formatUsd(
          req.monthlyBudgetUsd,
        )} a month is less than the ${formatUsd(
          input.overBudgetUsd,
        )} the cheapest pool that fits charges`,
      );
    }
  }
  if (!req.pool) return undefined;
  const key = req.pool.toLocaleLowerCase('en-US');
  const option = ranked.find(o => o.ref === key);
  const exclusion = excluded.find(e => e.ref === key);
  if (exclusion) {
    blocking.push(`pool: ${exclusion.title} — ${exclusion.reason}`);
  } else if (!option) {
    blocking.push(`pool: '${req.pool}' is not a GPU pool ModelFleet knows`);
  }
  return { option, exclusion };
}
