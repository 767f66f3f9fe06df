/* eslint-disable no-console */
/** The accounting at the end of the run: every action stored and ended, every change collected, replays answered alike. */
import { Tracked } from './actions';
import { ActionView, isFinal } from './backends';
import { Check } from './context';
import { describeAction } from './figures';
import { KillResult, resumedAfterKill } from './kill';
import { appliedTwice, MutationCollector, TwiceApplied } from './mutations';
import { Run } from './run';
import {
  observeWaiting,
  podsStillComing,
  waitingWithinDeadline,
} from './waiting';

/** What the accounting found. */
export interface Accounting {
  /** Every action in the database. */
  stored: ActionView[];
  /** Every action the driver created. */
  tracked: Tracked[];
  /** Created by the driver, not in the database. */
  missing: Tracked[];
  /** Neither final, nor waiting for approval, nor waiting within its deadline. */
  notFinal: ActionView[];
  /** Recommended by a policy, waiting for approval. */
  recommended: ActionView[];
  /** Ids of the actions waiting for pods within their step's deadline. */
  stillWaiting: Set<string>;
  /** Missing and not final actions. */
  lost: number;
  twice: TwiceApplied[];
  /** The actions another replica finished after the kill. */
  resumed: ActionView[];
}

/** Whether the actions on the other clusters ended done while the faults lasted. */
export function othersWentOn(run: Run, window: [number, number]): Check {
  const [from, to] = window;
  const others = [...run.driver.tracked.values()].filter(
    t =>
      t.phase === 'load' &&
      t.model.clusterIndex !== 1 &&
      t.finishedAt &&
      t.finishedAt >= from &&
      t.finishedAt <= to,
  );
  const othersDone = others.filter(t => t.final?.state === 'done');
  return {
    phase: 'faults',
    name: 'actions on the other clusters went on',
    pass: othersDone.length >= 3,
    detail: `${othersDone.length} of ${
      others.length
    } actions on demo-aws-use1 and demo-azure-eastus ended done during the ${(
      (to - from) /
      1000
    ).toFixed(0)} s of faults`,
  };
}

/**
 * Accounts for the actions of the run (in the database, through the API
 * and in SQL) and the changes collected from the clusters; prints the
 * actions that did not end, and adds its checks to `checks`.
 */
export async function accountFor(
  run: Run,
  collector: MutationCollector,
  kill: KillResult,
  checks: Check[],
): Promise<Accounting> {
  const s = run.s;
  // The loops of the replicas still run and may store an action while
  // the API is read: the rows read in SQL before the listing must all be
  // listed, and everything listed must be in SQL afterwards.
  const sqlBefore = run.databaseIds();
  const stored = await run.storedActions();
  const sqlAfter = run.databaseIds();
  const storedIds = new Set(stored.map(a => a.id));
  const tracked = [...run.driver.tracked.values()];
  const missing = tracked.filter(t => !storedIds.has(t.id));
  // An action a policy recommended (the hibernation loop, for a team in
  // dry run) waits at planned for a person by design: not lost.
  const trackedIds = new Set(tracked.map(t => t.id));
  const waitingForApproval = (a: ActionView) =>
    !trackedIds.has(a.id) && a.dryRun === true && a.state === 'planned';
  // An action waiting for pods within its step's own deadline is in
  // progress when the run ends, not lost, if the cluster shows its pods
  // still coming: the workload wants the step's count, fewer are ready.
  const checkedAt = Date.now();
  const stillWaiting = new Set<string>();
  for (const a of stored.filter(x => waitingWithinDeadline(x, checkedAt))) {
    const seen = podsStillComing(a, await observeWaiting(s, a));
    console.log(
      `${seen.coming ? 'still waiting' : 'waiting in vain'}: ${describeAction(
        a,
      )}: ${seen.why}`,
    );
    if (seen.coming) stillWaiting.add(a.id);
  }
  const notFinal = stored.filter(
    a => !isFinal(a) && !waitingForApproval(a) && !stillWaiting.has(a.id),
  );
  const recommended = stored.filter(waitingForApproval);
  for (const a of recommended)
    console.log(
      `waiting for approval: ${describeAction(a)} (${a.requestedBy})`,
    );
  const lost = missing.length + notFinal.length;
  for (const a of notFinal) console.log(`not final: ${describeAction(a)}`);
  const { twice, unknownSteps } = appliedTwice(collector, stored);
  const complete = collector.completeness();
  const resumed = resumedAfterKill(stored, kill.victimOwner, kill.killedAt);
  const listed = new Set(stored.map(a => a.id));
  const unlisted = sqlBefore
    ? [...sqlBefore].filter(id => !listed.has(id))
    : [];
  const notInSql = sqlAfter ? stored.filter(a => !sqlAfter.has(a.id)) : [];
  const storedMeanwhile =
    sqlAfter && sqlBefore ? sqlAfter.size - sqlBefore.size : 0;
  checks.push({
    phase: 'mutations',
    name: 'every change collected',
    pass: complete.every(c => c.collected === c.total),
    detail: complete
      .map(c => `${c.cluster} ${c.collected}/${c.total}`)
      .join(', '),
  });
  checks.push({
    phase: 'mutations',
    name: 'no change under a step no action has',
    pass: unknownSteps.length === 0,
    detail: unknownSteps.length ? unknownSteps.slice(0, 5).join(', ') : 'none',
  });
  const replays = run.load.replays;
  checks.push({
    phase: 'load',
    name: 'a request sent again with its Idempotency-Key gets the same action',
    pass: replays.different.length === 0 && replays.same > 0,
    detail: `${replays.same} the same${
      replays.different.length
        ? `; different: ${replays.different.slice(0, 3).join('; ')}`
        : ''
    }`,
  });
  checks.push({
    phase: 'database',
    name: 'the database holds every action the driver created, and no other',
    pass:
      sqlBefore !== undefined &&
      sqlAfter !== undefined &&
      unlisted.length === 0 &&
      notInSql.length === 0 &&
      missing.length === 0,
    detail: `${sqlBefore?.size ?? '?'} rows in SQL, ${
      stored.length
    } through the API (${storedMeanwhile} stored by the loops while it was read), ${
      tracked.length
    } created by the driver, ${missing.length} missing${
      unlisted.length ? `, not listed: ${unlisted.slice(0, 3).join(', ')}` : ''
    }${
      notInSql.length
        ? `, listed but not in SQL: ${notInSql
            .slice(0, 3)
            .map(a => a.id)
            .join(', ')}`
        : ''
    }`,
  });
  return {
    stored,
    tracked,
    missing,
    notFinal,
    recommended,
    stillWaiting,
    lost,
    twice,
    resumed,
  };
}
