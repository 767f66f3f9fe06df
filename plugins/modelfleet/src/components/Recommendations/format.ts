import {
  Recommendation,
  RecommendationApplyResponse,
} from '@modelfleet/plugin-modelfleet-common';

/** How many days Snooze hides a recommendation for. */
export const SNOOZE_DAYS = 7;

/** The recommendations sorted by monthly saving, largest first (a copy). */
export function bySaving(items: readonly Recommendation[]): Recommendation[] {
  return [...items].sort(
    (a, b) =>
      b.monthlySavingUsd - a.monthlySavingUsd || a.title.localeCompare(b.title),
  );
}

/** The entity a recommendation is about: its model, else its pool. */
export function subjectRefOf(r: Recommendation): string | undefined {
  return r.subject.modelRef ?? r.subject.poolRef;
}

const DISRUPTION_LEVELS: Record<Recommendation['disruption']['level'], string> =
  {
    none: 'None',
    restart: 'Restart',
    move: 'Move',
  };

/** The disruption's level in a word, e.g. `Move`. */
export function disruptionLabel(r: Recommendation): string {
  return DISRUPTION_LEVELS[r.disruption.level] ?? r.disruption.level;
}

/** The confidence's level in a word, e.g. `High`. */
export function confidenceLabel(r: Recommendation): string {
  const level = r.confidence.level;
  return level.charAt(0).toLocaleUpperCase('en-US') + level.slice(1);
}

/** What happened when a recommendation was applied, in a sentence. */
export function appliedText(
  r: Pick<Recommendation, 'title'>,
  answer: RecommendationApplyResponse,
): string {
  // The answer does not say whether a planned action still waits for a
  // dry-run team's approval or only for its turn: the state is told as is.
  return `Applied “${r.title}”: action ${answer.actionId} is ${answer.actionState}; its progress shows on the model’s activity card.`;
}

/** Until when a snoozed recommendation is hidden, e.g. `13 Dec 2026`. */
export function hiddenText(
  r: Pick<Recommendation, 'state' | 'snoozedUntil'>,
  formatDate: (iso: string) => string,
): string {
  if (r.state === 'dismissed') return 'Dismissed';
  if (r.state === 'snoozed') {
    return r.snoozedUntil
      ? `Snoozed until ${formatDate(r.snoozedUntil)}`
      : 'Snoozed';
  }
  return 'Open';
}
