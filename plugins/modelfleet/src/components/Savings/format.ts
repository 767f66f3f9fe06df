import {
  formatDate,
  SavingsLedgerLine,
} from '@modelfleet/plugin-modelfleet-common';

/** The ledger's lines, largest saving first (a copy). */
export function byLargestSaving(
  lines: readonly SavingsLedgerLine[],
): SavingsLedgerLine[] {
  return [...lines].sort(
    (a, b) =>
      b.savedUsd - a.savedUsd ||
      a.entityRef.localeCompare(b.entityRef) ||
      a.firstDay.localeCompare(b.firstDay),
  );
}

/** Whole days from `first` to `last`, both inclusive (`YYYY-MM-DD`). */
export function daysInclusive(first: string, last: string): number {
  const ms = Date.parse(`${last}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`);
  return Number.isFinite(ms) ? Math.max(0, Math.round(ms / 86_400_000)) + 1 : 0;
}

/** Inclusive days as the portal writes them, e.g. `1 Oct 2026 – 5 Dec 2026`. */
export function formatDays(first: string, last: string): string {
  return first === last
    ? formatDate(first)
    : `${formatDate(first)} – ${formatDate(last)}`;
}

const KINDS: Record<string, string> = {
  migrate: 'Move',
  scale: 'Scale',
  consolidate: 'Consolidation',
  hibernation: 'Hibernation',
  hibernate: 'Hibernation',
  sleep: 'Hibernation',
  'keep-alive': 'Keep-alive',
};

/** A ledger line's kind in a word, e.g. `Move` for `migrate`. */
export function kindLabel(kind: string): string {
  if (KINDS[kind]) return KINDS[kind];
  const words = kind.replace(/[-_]+/g, ' ').trim();
  return words
    ? words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1)
    : kind;
}
