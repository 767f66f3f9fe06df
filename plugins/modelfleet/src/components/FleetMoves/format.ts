import {
  ModelArbitrageOption,
  ModelArbitrageReport,
  ModelFleetAction,
  MoveDetails,
} from '@modelfleet/plugin-modelfleet-common';

/** Hours in the month the prices are quoted for. */
export const HOURS_A_MONTH = 730;

/** Hours in words: `25 min` under an hour, else whole hours, e.g. `4 h`. */
export function formatHours(hours: number): string {
  return hours < 1
    ? `${Math.max(1, Math.round(hours * 60))} min`
    : `${Math.round(hours)} h`;
}

/** A payback in words, `never` when the move does not pay for itself. */
export function formatPayback(hours: number | undefined): string {
  return hours === undefined ? 'never' : formatHours(hours);
}

/**
 * What a move decides on, as the confirm dialog shows it: from and to, the
 * saving a month (absent when the current pool is not priced), the move's
 * one-off cost, the payback (absent when it never pays) and the risk. The
 * same figures as the backend stores with the move.
 */
export interface MoveFigures {
  from: string;
  to: string;
  savingUsdPerMonth?: number;
  moveUsd: number;
  /** The parts of the move's cost, in words. */
  moveParts: string[];
  paybackHours?: number;
  risk: string;
}

/** A pool's risk in words, e.g. `spot: 2.5 preemptions a month expected, 99.50 % available (…)`. */
export function riskOf(
  option: Pick<
    ModelArbitrageOption,
    'capacityType' | 'preemptionsPerMonth' | 'availability' | 'riskSource'
  >,
): string {
  const availability = `${(option.availability * 100).toFixed(2)} % available`;
  return option.capacityType === 'spot'
    ? `spot: ${option.preemptionsPerMonth.toFixed(
        1,
      )} preemptions a month expected, ${availability} (${option.riskSource})`
    : `${option.capacityType}: not preempted, ${availability}`;
}

/** The figures of moving the model of `report` to `to`. */
export function moveFigures(
  report: ModelArbitrageReport,
  to: ModelArbitrageOption,
): MoveFigures {
  const current = report.options.find(o => o.current);
  const fromUsd =
    report.currentMonthlyUsd ??
    (current ? current.monthlyUsd + current.preemptionUsdPerMonth : undefined);
  const moveUsd = to.move?.usd ?? 0;
  const saving =
    fromUsd === undefined
      ? undefined
      : fromUsd - to.monthlyUsd - to.preemptionUsdPerMonth;
  return {
    from: current?.title ?? 'where it runs now',
    to: to.title,
    ...(saving !== undefined ? { savingUsdPerMonth: saving } : {}),
    moveUsd,
    moveParts: to.move?.what ?? [],
    ...(saving !== undefined && saving > 0
      ? { paybackHours: moveUsd / (saving / HOURS_A_MONTH) }
      : {}),
    risk: riskOf(to),
  };
}

/** A move's route, from → to: the pool titles it stored, else its reason. */
export function moveRoute(
  action: Pick<ModelFleetAction, 'details' | 'reason'>,
): string {
  const d = action.details;
  if (d) return `${d.from.title} → ${d.to.title}`;
  return action.reason || '—';
}

/** What a move saves a month, at the prices it was decided on. */
export function monthlySaving(details?: MoveDetails): number | undefined {
  if (details?.from.monthlyUsd === undefined) return undefined;
  return details.from.monthlyUsd - details.to.monthlyUsd;
}

/**
 * Whether a move is under way or about to start (approved, or stored to
 * run): the card polls while one is, so its row follows it to the end.
 */
export function isMoving(
  action: Pick<ModelFleetAction, 'state' | 'dryRun'>,
): boolean {
  if (action.state === 'planned') return !action.dryRun;
  return ['applying', 'verifying', 'rollingBack'].includes(action.state);
}

/** A move's state and decision in words, e.g. `moving (step 2 of 8)`. */
export function moveStateLabel(
  action: Pick<ModelFleetAction, 'state' | 'stepIndex' | 'steps' | 'dryRun'>,
): string {
  const of = `step ${action.stepIndex + 1} of ${action.steps.length}`;
  switch (action.state) {
    case 'planned':
      return action.dryRun ? 'waiting for approval' : 'about to move';
    case 'applying':
      return `moving (${of})`;
    case 'verifying':
      return 'moving (verifying)';
    case 'rollingBack':
      return `rolling back (${of})`;
    case 'rolledBack':
      return 'rolled back';
    default:
      return action.state;
  }
}

/**
 * What a finished move has saved since it finished, after its own cost:
 * the saving an hour × hours since `finishedAt` − the move's cost, at the
 * prices it was decided on. Absent unless it is done and its saving known.
 */
export function realisedSoFar(
  action: Pick<ModelFleetAction, 'state' | 'finishedAt' | 'details'>,
  now: number = Date.now(),
): number | undefined {
  const saving = monthlySaving(action.details);
  if (action.state !== 'done' || saving === undefined || !action.finishedAt) {
    return undefined;
  }
  const finished = Date.parse(action.finishedAt);
  if (Number.isNaN(finished)) return undefined;
  const hours = Math.max(0, now - finished) / 3_600_000;
  return (saving / HOURS_A_MONTH) * hours - (action.details?.moveUsd ?? 0);
}

/** A key for one opening of the move dialog: a retry of it answers the same move. */
export function newMoveKey(random: () => number = Math.random): string {
  const part = () => Math.floor(random() * 36 ** 8).toString(36);
  return `move-${Date.now().toString(36)}-${part()}${part()}`;
}
