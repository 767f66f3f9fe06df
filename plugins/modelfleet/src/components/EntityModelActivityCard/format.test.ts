import { modelAction } from '../../__testUtils__/actionFixtures';
import {
  actionTitle,
  formatActor,
  formatRelative,
  formatValue,
  stateLabel,
  stepStatuses,
} from './format';
import { parseReplicas } from './ScaleDialog';

describe('activity formatting', () => {
  it('labels states, with the step while applying or rolling back', () => {
    const a = modelAction();
    expect(stateLabel(a)).toBe('Planned');
    expect(stateLabel({ ...a, dryRun: true })).toBe('Planned, needs approval');
    expect(stateLabel({ ...a, state: 'applying', stepIndex: 0 })).toBe(
      'Applying step 1 of 3',
    );
    expect(stateLabel({ ...a, state: 'rollingBack', stepIndex: 1 })).toBe(
      'Rolling back step 2 of 3',
    );
    expect(stateLabel({ ...a, state: 'rolledBack' })).toBe('Rolled back');
    expect(stateLabel({ ...a, state: 'verifying' })).toBe('Verifying');
    expect(stateLabel({ ...a, state: 'cancelled' })).toBe('Cancelled');
  });

  it('names an action by what it does', () => {
    const a = modelAction();
    expect(actionTitle(a)).toBe('Scale to 3 replicas');
    expect(actionTitle({ ...a, steps: [a.steps[0]] })).toBe('Scale');
    expect(actionTitle({ ...a, kind: 'hibernate' })).toBe('Hibernate');
    expect(actionTitle({ ...a, kind: 'wake' })).toBe('Wake');
    const spot = {
      pool: 'gpupool:default/p.spot',
      title: 'spot (p)',
      usdPerHour: 0.3,
    };
    const onDemand = { ...spot, title: 'od (p)', usdPerHour: 0.8 };
    const fallback = {
      direction: 'fallback' as const,
      spot,
      onDemand,
      replicas: { from: 0, to: 2 },
      required: 2,
      spotReady: 0,
    };
    expect(actionTitle({ ...a, kind: 'spot-fallback', fallback })).toBe(
      'Spot fallback: on-demand stand-in to 2 replicas',
    );
    expect(
      actionTitle({
        ...a,
        kind: 'spot-fallback',
        fallback: {
          ...fallback,
          direction: 'return',
          replicas: { from: 1, to: 0 },
        },
      }),
    ).toBe('Return to spot: on-demand stand-in to 0 replicas');
    expect(actionTitle({ ...a, kind: 'spot-fallback' })).toBe('Spot fallback');
  });

  it('names a consolidation by the nodes it empties', () => {
    const cordon = (node: string, unschedulable = true) => ({
      description: `Cordon node ${node}`,
      do: { op: 'cordon' as const, cluster: 'c', node, unschedulable },
    });
    const drain = {
      description: 'Drain node n1',
      do: {
        op: 'drain' as const,
        cluster: 'c',
        node: 'n1',
        timeoutSeconds: 60,
      },
    };
    const a = modelAction({ kind: 'consolidate' });
    expect(
      actionTitle({ ...a, steps: [cordon('n1'), cordon('n2'), drain] }),
    ).toBe('Empty nodes n1, n2');
    expect(actionTitle({ ...a, steps: [cordon('n1'), drain] })).toBe(
      'Empty node n1',
    );
    expect(actionTitle({ ...a, steps: [cordon('n1', false)] })).toBe(
      'Empty nodes',
    );
  });

  it('writes actors for people', () => {
    expect(formatActor('user:default/jane')).toBe('jane');
    expect(formatActor('user:platform/sam')).toBe('platform/sam');
    expect(formatActor('policy:hibernation')).toBe('the hibernation policy');
    expect(formatActor('replica:r-1')).toBe('ModelFleet (replica r-1)');
    expect(formatActor('someone')).toBe('someone');
  });

  it('writes times relative to now', () => {
    const now = Date.parse('2026-12-03T12:00:00Z');
    const at = (s: number) => new Date(now + s * 1000).toISOString();
    expect(formatRelative(at(-2), now)).toBe('just now');
    expect(formatRelative(at(-30), now)).toBe('30 s ago');
    expect(formatRelative(at(-120), now)).toBe('2 min ago');
    expect(formatRelative(at(-3 * 3600), now)).toBe('3 h ago');
    expect(formatRelative(at(-86_400), now)).toBe('1 day ago');
    expect(formatRelative(at(-5 * 86_400), now)).toBe('5 days ago');
    expect(formatRelative(at(30), now)).toBe('in 30 s');
    expect(formatRelative('soon', now)).toBe('soon');
  });

  it('writes diff values', () => {
    expect(formatValue(null)).toBe('(not set)');
    expect(formatValue(undefined)).toBe('(not set)');
    expect(formatValue('3')).toBe('3');
    expect(formatValue(3)).toBe('3');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
  });

  describe('step statuses', () => {
    const a = modelAction();
    it.each([
      [{ state: 'planned' }, ['pending', 'pending', 'pending']],
      [{ state: 'cancelled' }, ['notRun', 'notRun', 'notRun']],
      [{ state: 'applying', stepIndex: 0 }, ['current', 'pending', 'pending']],
      [{ state: 'applying', stepIndex: 2 }, ['done', 'done', 'current']],
      [{ state: 'verifying', stepIndex: 2 }, ['done', 'done', 'done']],
      [{ state: 'done', stepIndex: 2 }, ['done', 'done', 'done']],
      // Verification failed: the rollback starts at the last step.
      [
        { state: 'rollingBack', stepIndex: 1, events: [] },
        ['done', 'current', 'rolledBack'],
      ],
      [
        { state: 'rolledBack', stepIndex: 0, events: [] },
        ['rolledBack', 'rolledBack', 'rolledBack'],
      ],
    ] as const)('%j', (overrides, expected) => {
      expect(stepStatuses({ ...a, ...(overrides as object) })).toEqual(
        expected,
      );
    });

    it('leaves the steps after the one that failed as not run', () => {
      const events = [
        {
          at: '2026-12-03T12:00:00Z',
          from: 'applying' as const,
          to: 'rollingBack' as const,
          step: 1,
          actor: 'replica:r1',
          outcome: 'failed' as const,
          message: 'step 2 of 3 failed, rolling back: x',
        },
      ];
      expect(
        stepStatuses({ ...a, state: 'rollingBack', stepIndex: 1, events }),
      ).toEqual(['done', 'current', 'notRun']);
      expect(
        stepStatuses({ ...a, state: 'rolledBack', stepIndex: 0, events }),
      ).toEqual(['rolledBack', 'rolledBack', 'notRun']);
      expect(
        stepStatuses({ ...a, state: 'failed', stepIndex: 0, events }),
      ).toEqual(['undoFailed', 'rolledBack', 'notRun']);
    });
  });

  it('reads the replicas of the Scale dialog, naming the field', () => {
    expect(parseReplicas('0')).toEqual({ replicas: 0 });
    expect(parseReplicas(' 64 ')).toEqual({ replicas: 64 });
    for (const bad of ['', '65', '-1', '1.5', '1e2', 'two']) {
      expect(parseReplicas(bad)).toEqual({
        error: 'Replicas must be a whole number from 0 to 64',
      });
    }
  });
});
