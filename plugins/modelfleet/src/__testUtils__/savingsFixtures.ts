import {
  SavingsLedgerLine,
  SavingsLedgerResponse,
} from '@modelfleet/plugin-modelfleet-common';

const METHOD =
  'Before: the GPU-hours each model held after an action, priced at the day’s price of the pool and replicas it had before; after: showback’s cost of the same models and days.';

/** A ledger line shaped like the backend's: a move of the search reranker. */
export function savingsLine(
  overrides: Partial<SavingsLedgerLine> = {},
): SavingsLedgerLine {
  return {
    source: 'action',
    actionId: 'act-7',
    kind: 'migrate',
    entityRef: 'model:default/search-reranker',
    teamRef: 'group:default/search-team',
    appliedAt: '2026-11-03T09:30:00.000Z',
    summary: 'Moved from L4 on-demand to L4 spot',
    firstDay: '2026-11-03',
    lastDay: '2026-12-05',
    beforeUsd: 2100,
    afterUsd: 1260.5,
    savedUsd: 839.5,
    ...overrides,
  };
}

/** The lines of {@link savingsLedger}: a move, a scale-down, hibernation. */
export const ledgerLines: SavingsLedgerLine[] = [
  savingsLine(),
  savingsLine({
    actionId: 'act-12',
    kind: 'scale',
    entityRef: 'model:default/chat-assistant',
    teamRef: 'group:default/chat-team',
    appliedAt: '2026-11-20T14:05:00.000Z',
    summary: '3 → 2 replicas',
    firstDay: '2026-11-20',
    lastDay: '2026-12-05',
    beforeUsd: 1300,
    afterUsd: 1000,
    savedUsd: 300,
  }),
  savingsLine({
    source: 'hibernation',
    actionId: undefined,
    kind: 'hibernation',
    entityRef: 'model:default/doc-summarizer',
    appliedAt: undefined,
    summary: 'Hibernated while idle',
    firstDay: '2026-10-01',
    lastDay: '2026-12-05',
    beforeUsd: 200,
    afterUsd: 105.5,
    savedUsd: 94.5,
  }),
];

/**
 * A savings ledger shaped like the backend's, over October to 5 December
 * 2026, its lines in `lines` order (largest saving first).
 */
export function savingsLedger(
  overrides: Partial<SavingsLedgerResponse> = {},
): SavingsLedgerResponse {
  return {
    from: '2026-10-01',
    to: '2026-12-05',
    totals: { beforeUsd: 11104, afterUsd: 9870, savedUsd: 1234 },
    months: [
      { key: '2026-10', beforeUsd: 3100, afterUsd: 3050, savedUsd: 50 },
      { key: '2026-11', beforeUsd: 5004, afterUsd: 4320, savedUsd: 684 },
      { key: '2026-12', beforeUsd: 3000, afterUsd: 2500, savedUsd: 500 },
    ],
    teams: [
      {
        key: 'group:default/search-team',
        beforeUsd: 7000,
        afterUsd: 6300,
        savedUsd: 700,
      },
    ],
    models: [],
    lines: ledgerLines,
    method: METHOD,
    updatedAt: '2026-12-06T02:10:00.000Z',
    ...overrides,
  };
}

/** A ledger with no saving: no applied action has saved money yet. */
export function emptySavingsLedger(
  overrides: Partial<SavingsLedgerResponse> = {},
): SavingsLedgerResponse {
  return savingsLedger({
    totals: { beforeUsd: 9870, afterUsd: 9870, savedUsd: 0 },
    months: [],
    teams: [],
    models: [],
    lines: [],
    ...overrides,
  });
}
