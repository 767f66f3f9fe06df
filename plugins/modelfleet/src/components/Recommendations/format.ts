import {
  Recommendation,
  RecommendationApplyResponse,
} from '@modelfleet/plugin-modelfleet-common';

/** The days Snooze offers to hide a recommendation for. */
export const SNOOZE_CHOICES: readonly number[] = [1, 7, 30];

/** A snooze's length in words, e.g. `1 day`, `7 days`. */
export function snoozeLabel(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

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

/**
 * What happened when a recommendation was applied, in a sentence: the
 * backend's own (whether it waits for approval under the team's dry-run,
 * or runs now), or, from a backend that does not say, the action's state.
 */
export function appliedText(
  r: Pick<Recommendation, 'title'>,
  answer: Pick<
    RecommendationApplyResponse,
    'actionId' | 'actionState' | 'message'
  >,
): string {
  const message = answer.message?.trim();
  if (message) return `Applied “${r.title}”. ${message}`;
  return `Applied “${r.title}”: action ${answer.actionId} is ${answer.actionState}.`;
}

/** Where an applied recommendation's action is approved or followed. */
export interface NextStep {
  /** Whether it waits for an approval (the team's policy is dry-run). */
  awaitsApproval: boolean;
  /** The model whose activity card lists the action. */
  modelRef?: string;
  /** Whether it is a move, which the ModelFleet page's Moves card lists too. */
  move: boolean;
  /**
   * Whether it is a node consolidation (an action on a pool, not a model),
   * which only the ModelFleet page's Node consolidations card lists.
   */
  consolidation: boolean;
}

/** Where to approve or follow the action an apply made. */
export function nextStepOf(
  r: Pick<Recommendation, 'subject'>,
  answer: Pick<
    RecommendationApplyResponse,
    'actionKind' | 'awaitsApproval' | 'actionState'
  >,
): NextStep {
  const consolidation = answer.actionKind === 'consolidate';
  return {
    // From a backend that does not say, a planned action may wait for one.
    awaitsApproval: answer.awaitsApproval ?? answer.actionState === 'planned',
    // A consolidation's action is its pool's: no model's card lists it.
    modelRef: consolidation ? undefined : r.subject.modelRef,
    move: answer.actionKind === 'migrate',
    consolidation,
  };
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
