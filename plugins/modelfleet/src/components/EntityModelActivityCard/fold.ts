import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';

/** An action as the list shows it, with the ones folded under it. */
export interface FoldedAction {
  action: ModelFleetAction;
  /** Earlier actions of the same run, newest first. */
  earlier: ModelFleetAction[];
}

const foldable = (a: ModelFleetAction) =>
  a.kind === 'keepAlive' &&
  a.state === 'done' &&
  a.requestedBy.startsWith('policy:');

/**
 * Folds each run of consecutive finished keep-alive changes by one policy
 * into its newest (pure). The hibernation loop sets a model's keep-alive
 * at the start of each idle period, so a busy model collects one such
 * action per gap between its requests; listed one by one they would push
 * everything a person did out of view. Anything else stays a row of its
 * own, in order (newest first).
 */
export function foldKeepAlives(actions: ModelFleetAction[]): FoldedAction[] {
  const out: FoldedAction[] = [];
  for (const action of actions) {
    const last = out[out.length - 1];
    if (
      last &&
      foldable(action) &&
      foldable(last.action) &&
      last.action.requestedBy === action.requestedBy
    ) {
      last.earlier.push(action);
    } else {
      out.push({ action, earlier: [] });
    }
  }
  return out;
}
