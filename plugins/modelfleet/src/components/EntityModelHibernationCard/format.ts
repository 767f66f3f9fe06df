import {
  HibernationDecisionView,
  HibernationState,
  ModelHibernationReport,
  PolicyMode,
} from '@modelfleet/plugin-modelfleet-common';

/** The label of a model's state chip. */
export const STATE_LABELS: Record<HibernationState, string> = {
  warm: 'Warm',
  atZero: 'At zero',
  waking: 'Waking…',
  asleep: 'Asleep',
};

/** What the owner team's `hibernation.mode` means for this model. */
export const MODE_TEXT: Record<PolicyMode, string> = {
  enforce: 'ModelFleet acts',
  recommend: 'ModelFleet recommends; actions wait for approval',
  off: 'Hibernation is off: ModelFleet does not take this model to zero',
};

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400],
  ['h', 3_600],
  ['min', 60],
  ['s', 1],
];

/**
 * Whole seconds in the two largest units that are not zero, e.g. `45 s`,
 * `8 min`, `8 min 20 s`, `1 h 30 min`, `2 d 3 h`.
 */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  if (rest === 0) return '0 s';
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (parts.length === 2) break;
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count} ${unit}`);
    // Units below the first one only count next to it: 1 h 0 min 5 s is 1 h.
    else if (parts.length > 0) break;
  }
  return parts.join(' ');
}

/** The seconds a wake took, to a tenth, e.g. `38 s`, `41.5 s`; `—` without. */
export function formatWakeSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  return `${seconds.toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}

/**
 * The keep-alive ModelFleet learned, in people's units: `null` means the
 * model stays warm (no idle gap is worth going to zero for), 0 that it goes
 * to zero as soon as it is idle.
 */
export function formatKeepAlive(
  seconds: number | null,
  sleeps = false,
): string {
  if (seconds === null) return 'Stays warm';
  // The engine found every gap worth sleeping through: the autoscaler's
  // shortest keep-alive applies (the line under it says which).
  if (seconds === 0) return sleeps ? 'To sleep at once' : 'To zero at once';
  return formatDuration(seconds);
}

/**
 * The keep-alive set on the model's autoscaler now, when it is not the
 * learned one (the loop has not set it yet, or someone changed it), e.g.
 * `ScaledObject llama-chat: 5 min`.
 */
export function autoscalerKeepAliveLine(
  report: Pick<ModelHibernationReport, 'autoscaler' | 'keepAlive'>,
): string | undefined {
  const { autoscaler, keepAlive } = report;
  if (!autoscaler) return undefined;
  const learned = keepAlive?.seconds;
  if (
    learned !== undefined &&
    learned !== null &&
    Math.round(learned) === Math.round(autoscaler.keepAliveSeconds)
  ) {
    return undefined;
  }
  return `${autoscaler.kind} ${autoscaler.name}: ${formatDuration(
    autoscaler.keepAliveSeconds,
  )}`;
}

/** What a decision of the hibernation loop does, e.g. `Wake to 2 replicas`. */
export function decisionTitle(decision: HibernationDecisionView): string {
  switch (decision.action) {
    case 'hibernate':
      return 'Take to zero';
    case 'sleep':
      return 'Put the engine to sleep';
    case 'wake':
      return decision.replicas === undefined
        ? 'Wake'
        : `Wake to ${decision.replicas} ${
            decision.replicas === 1 ? 'replica' : 'replicas'
          }`;
    case 'setKeepAlive':
      return decision.seconds === undefined
        ? 'Set the keep-alive'
        : `Set the keep-alive to ${formatDuration(decision.seconds)}`;
    default:
      return 'No change';
  }
}
