import fc from 'fast-check';
import { FINAL_ACTION_STATES } from '@modelfleet/plugin-modelfleet-common';
import {
  ActionInput,
  ActionProgress,
  InvalidTransitionError,
  RetryPolicy,
  backoffMs,
  isRunnable,
  transition,
} from './stateMachine';

const policy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 10_000,
  pollMs: 500,
};
const t0 = new Date('2026-12-03T10:00:00Z');
const planned = (stepCount = 2, dryRun = false): ActionProgress => ({
  state: 'planned',
  stepIndex: -1,
  stepCount,
  attempts: 0,
  dryRun,
});

/** Feeds inputs one after the other, one second apart. */
function run(start: ActionProgress, inputs: ActionInput[]) {
  let p = start;
  const events = [];
  let now = t0.getTime();
  for (const input of inputs) {
    now += 1_000;
    const t = transition(p, input, new Date(now), policy);
    p = t.next;
    if (t.event) events.push(t.event);
  }
  return { p, events };
}

describe('action state machine', () => {
  it('applies each step in order, verifies and is done', () => {
    const { p, events } = run(planned(2), [
      { type: 'start' },
      { type: 'stepSucceeded' },
      { type: 'stepSucceeded' },
      { type: 'verified' },
    ]);
    expect(p.state).toBe('done');
    expect(p.finishedAt).toBeDefined();
    expect(events.map(e => `${e.from}->${e.to}:${e.step ?? ''}`)).toEqual([
      'planned->applying:0',
      'applying->applying:0',
      'applying->verifying:1',
      'verifying->done:',
    ]);
  });

  it('keeps a dry-run action at planned until it is approved', () => {
    const p = planned(1, true);
    expect(isRunnable(p, t0)).toBe(false);
    expect(() => transition(p, { type: 'start' }, t0, policy)).toThrow(
      InvalidTransitionError,
    );
    const approved = transition(
      p,
      { type: 'approve', by: 'user:default/jane' },
      t0,
      policy,
    );
    expect(approved.next).toMatchObject({
      state: 'planned',
      dryRun: false,
      approvedBy: 'user:default/jane',
    });
    expect(approved.event?.message).toBe('approved by user:default/jane');
    expect(isRunnable(approved.next, t0)).toBe(true);
  });

  it('retries a retryable failure with a doubling backoff, then rolls back from the failed step', () => {
    const started = run(planned(3), [
      { type: 'start' },
      { type: 'stepSucceeded' },
    ]);
    expect(started.p).toMatchObject({ state: 'applying', stepIndex: 1 });
    const fail: ActionInput = {
      type: 'stepFailed',
      error: '503 Service Unavailable',
      retryable: true,
    };
    const now = new Date(t0.getTime() + 10_000);
    const once = transition(started.p, fail, now, policy);
    expect(once.next).toMatchObject({ state: 'applying', attempts: 1 });
    expect(Date.parse(once.next.nextAttemptAt!) - now.getTime()).toBe(1_000);
    expect(isRunnable(once.next, now)).toBe(false);
    const twice = transition(once.next, fail, now, policy);
    expect(Date.parse(twice.next.nextAttemptAt!) - now.getTime()).toBe(2_000);
    expect(twice.event?.outcome).toBe('retrying');
    const thrice = transition(twice.next, fail, now, policy);
    expect(thrice.next).toMatchObject({
      state: 'rollingBack',
      stepIndex: 1,
      attempts: 0,
      lastError: '503 Service Unavailable',
    });
    expect(thrice.event?.message).toMatch(/after 3 tries, rolling back/);
    const back = run(thrice.next, [
      { type: 'undoSucceeded' },
      { type: 'undoSucceeded' },
    ]);
    expect(back.p.state).toBe('rolledBack');
    expect(back.events.map(e => e.step)).toEqual([1, 0]);
  });

  it('rolls back at once on a failure that retrying cannot mend', () => {
    const { p } = run(planned(2), [
      { type: 'start' },
      { type: 'stepFailed', error: '403 forbidden', retryable: false },
    ]);
    expect(p).toMatchObject({ state: 'rollingBack', stepIndex: 0 });
  });

  it('rolls back every step when the verification fails', () => {
    const { p } = run(planned(2), [
      { type: 'start' },
      { type: 'stepSucceeded' },
      { type: 'stepSucceeded' },
      { type: 'verifyFailed', error: 'replicas 3, wanted 0', retryable: false },
    ]);
    expect(p).toMatchObject({ state: 'rollingBack', stepIndex: 1 });
  });

  it('fails, keeping both errors, when an undo fails for good', () => {
    const { p, events } = run(planned(1), [
      { type: 'start' },
      { type: 'stepFailed', error: 'step error', retryable: false },
      { type: 'undoFailed', error: 'undo error', retryable: false },
    ]);
    expect(p.state).toBe('failed');
    expect(p.lastError).toBe(
      'step error; rollback of step 1 failed: undo error',
    );
    expect(events.at(-1)?.message).toMatch(/needs a person/);
  });

  it('waits for a step that waits, then times it out', () => {
    const { p } = run(planned(1), [{ type: 'start' }]);
    const wait: ActionInput = {
      type: 'stepPending',
      timeoutSeconds: 60,
      message: '0 of 1 replicas ready',
    };
    const soon = transition(p, wait, new Date(t0.getTime() + 30_000), policy);
    expect(soon.event).toBeUndefined();
    expect(soon.next).toMatchObject({ state: 'applying', attempts: 0 });
    const late = transition(p, wait, new Date(t0.getTime() + 62_000), policy);
    expect(late.next.state).toBe('rollingBack');
    expect(late.event?.message).toMatch(
      /timed out after 60 s: 0 of 1 replicas ready/,
    );
  });

  it('cancels only a planned action', () => {
    const c = transition(
      planned(1),
      { type: 'cancel', by: 'user:default/jane' },
      t0,
      policy,
    );
    expect(c.next.state).toBe('cancelled');
    const { p } = run(planned(1), [{ type: 'start' }]);
    expect(() =>
      transition(p, { type: 'cancel', by: 'user:default/jane' }, t0, policy),
    ).toThrow(/applying step 1 of 1 cannot take 'cancel'/);
  });

  it('caps the backoff', () => {
    expect(backoffMs(1, policy)).toBe(1_000);
    expect(backoffMs(4, policy)).toBe(8_000);
    expect(backoffMs(10, policy)).toBe(10_000);
  });

  const anyInput: fc.Arbitrary<ActionInput> = fc.oneof(
    fc.constant<ActionInput>({ type: 'start' }),
    fc.constant<ActionInput>({ type: 'stepSucceeded' }),
    fc.constant<ActionInput>({ type: 'verified' }),
    fc.constant<ActionInput>({ type: 'undoSucceeded' }),
    fc.constant<ActionInput>({ type: 'approve', by: 'user:default/a' }),
    fc.constant<ActionInput>({ type: 'cancel', by: 'user:default/a' }),
    fc.record({
      type: fc.constantFrom(
        'stepFailed' as const,
        'verifyFailed' as const,
        'undoFailed' as const,
      ),
      error: fc.constant('boom'),
      retryable: fc.boolean(),
    }),
    fc.record({
      type: fc.constant('stepPending' as const),
      timeoutSeconds: fc.integer({ min: 0, max: 5 }),
      message: fc.constant('waiting'),
    }),
  );

  const must = (ok: boolean, what: string) => {
    if (!ok) throw new Error(what);
  };

  it('holds its invariants on any sequence of inputs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.boolean(),
        fc.array(anyInput, { maxLength: 40 }),
        (stepCount, dryRun, inputs) => {
          let p = planned(stepCount, dryRun);
          let now = t0.getTime();
          for (const input of inputs) {
            now += 1_000;
            let t;
            try {
              t = transition(p, input, new Date(now), policy);
            } catch (e) {
              // A refused input changes nothing.
              must(e instanceof InvalidTransitionError, `threw ${e}`);
              continue;
            }
            // A final state is never left.
            must(!FINAL_ACTION_STATES.includes(p.state), 'left a final state');
            p = t.next;
            // The step index stays within the steps.
            must(
              !['applying', 'rollingBack'].includes(p.state) ||
                (p.stepIndex >= 0 && p.stepIndex < stepCount),
              `step index ${p.stepIndex} of ${stepCount} in ${p.state}`,
            );
            must(p.attempts <= policy.maxAttempts, 'too many attempts');
            // Nothing is applied before approval.
            must(
              ['planned', 'cancelled'].includes(p.state) || !p.dryRun,
              `${p.state} while dry-run`,
            );
            must(
              Boolean(p.finishedAt) === FINAL_ACTION_STATES.includes(p.state),
              'finishedAt set exactly in final states',
            );
            // Every change of state is recorded.
            must(
              !t.event || t.event.to === p.state,
              'event names the new state',
            );
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
