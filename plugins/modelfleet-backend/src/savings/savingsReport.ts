import {
  SavingsFigures,
  SavingsLedgerGroup,
  SavingsLedgerLine,
  SavingsLedgerResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { LedgerFilter, SavingsStore } from './SavingsStore';

/** How the ledger prices its counterfactual, in words (the response's `method`). */
export const SAVINGS_METHOD =
  "Each applied move or scale is compared, hour by hour after it succeeded, with the model as it was just before it started, at each day's prices: " +
  "a move's replica-hours are priced at the pool it left (its GPUs per replica, that day's price of a GPU on it); " +
  'a scale counts the replicas it removed (or added) on the pools the model runs on, while its replica count holds. ' +
  'Several actions on a model each count against the one after, so together they save what the model would have cost without any of them less what it cost. ' +
  'Hibernation counts one replica not held while a model was at zero, as showback does. ' +
  "A node consolidation counts, on its pool, the nodes the pool runs fewer than before it (at most those it emptied), at the pool's node price of the day. " +
  "GPU-hours are priced as showback charges them, without idle share; 'After' is showback's cost of the same models and days, 'Before' is After plus Saved. " +
  'On-demand stand-ins of the spot fallback keep a model serving and are not counted.';

/** The refs among those given whose costs the caller may see. */
type AllowedRefs = (refs: string[]) => Promise<Set<string>>;

function figures(afterUsd: number, savedUsd: number): SavingsFigures {
  return { beforeUsd: afterUsd + savedUsd, afterUsd, savedUsd };
}

function grouped(
  sums: Array<{ key: string; afterUsd: number; savedUsd: number }>,
): SavingsLedgerGroup[] {
  const by = new Map<string, { afterUsd: number; savedUsd: number }>();
  for (const s of sums) {
    const had = by.get(s.key) ?? { afterUsd: 0, savedUsd: 0 };
    had.afterUsd += s.afterUsd;
    had.savedUsd += s.savedUsd;
    by.set(s.key, had);
  }
  return [...by.entries()]
    .map(([key, f]) => ({ key, ...figures(f.afterUsd, f.savedUsd) }))
    .sort((a, b) => b.savedUsd - a.savedUsd || a.key.localeCompare(b.key));
}

/**
 * The ledger over days [from, to] (inclusive) of the models in scope and
 * visible (all, without `allowed`): its lines (an action's days summed into one line, a model's
 * hibernation into one), and totals and groups whose `afterUsd` is
 * showback's cost of those models on those days.
 */
export async function savingsReport(
  store: SavingsStore,
  filter: LedgerFilter,
  allowed?: AllowedRefs,
): Promise<SavingsLedgerResponse> {
  const [actions, hibernation, sums, updatedAt] = await Promise.all([
    store.actionLines(filter),
    store.hibernationLines(filter),
    store.sums(filter),
    store.updatedAt(),
  ]);
  // A model is shown when the caller may see its costs or its team's.
  const ok = allowed
    ? await allowed(
        [...actions, ...hibernation, ...sums].flatMap(r =>
          r.teamRef ? [r.entityRef, r.teamRef] : [r.entityRef],
        ),
      )
    : undefined;
  const visible = (entityRef: string, teamRef: string) =>
    !ok || ok.has(entityRef) || (teamRef !== '' && ok.has(teamRef));
  const lines: SavingsLedgerLine[] = [
    ...actions
      .filter(l => visible(l.entityRef, l.teamRef))
      .map(l => ({
        source: 'action' as const,
        actionId: l.actionId,
        kind: l.kind,
        entityRef: l.entityRef,
        teamRef: l.teamRef,
        appliedAt: l.appliedAt,
        summary: l.summary,
        firstDay: l.firstDay,
        lastDay: l.lastDay,
        ...figures(l.afterUsd, l.savedUsd),
      })),
    ...hibernation
      .filter(l => visible(l.entityRef, l.teamRef))
      .map(l => ({
        source: 'hibernation' as const,
        kind: 'hibernation',
        entityRef: l.entityRef,
        teamRef: l.teamRef,
        summary: 'Hibernated: one replica not held while at zero',
        firstDay: l.firstDay,
        lastDay: l.lastDay,
        // At zero a model is charged nothing.
        ...figures(0, l.savedUsd),
      })),
  ];
  lines.sort(
    (a, b) =>
      b.savedUsd - a.savedUsd ||
      a.entityRef.localeCompare(b.entityRef) ||
      (a.actionId ?? '').localeCompare(b.actionId ?? ''),
  );
  const shown = sums.filter(s => visible(s.entityRef, s.teamRef));
  const total = shown.reduce(
    (t, s) => ({
      afterUsd: t.afterUsd + s.afterUsd,
      savedUsd: t.savedUsd + s.savedUsd,
    }),
    { afterUsd: 0, savedUsd: 0 },
  );
  return {
    from: filter.from,
    to: filter.to,
    totals: figures(total.afterUsd, total.savedUsd),
    months: grouped(shown.map(s => ({ ...s, key: s.month }))).sort((a, b) =>
      a.key.localeCompare(b.key),
    ),
    teams: grouped(shown.map(s => ({ ...s, key: s.teamRef }))),
    models: grouped(shown.map(s => ({ ...s, key: s.entityRef }))),
    lines,
    method: SAVINGS_METHOD,
    ...(updatedAt ? { updatedAt: updatedAt.toISOString() } : {}),
  };
}
