import {
  arbitrageOption,
  arbitrageReport,
} from '../../__testUtils__/arbitrageFixtures';
import {
  formatHours,
  formatPayback,
  isMoving,
  monthlySaving,
  moveFigures,
  moveRoute,
  moveStateLabel,
  newMoveKey,
  realisedSoFar,
  riskOf,
} from './format';
import { moveDetails } from './__testUtils__';

const details = moveDetails;

const steps = Array.from({ length: 8 }, () => ({
  description: 'a step',
  do: { op: 'apply' as const, cluster: 'c', objects: [] },
}));

describe('moves format', () => {
  it('formats hours and paybacks', () => {
    expect(formatHours(0.25)).toBe('15 min');
    expect(formatHours(0.001)).toBe('1 min');
    expect(formatHours(3.6)).toBe('4 h');
    expect(formatPayback(undefined)).toBe('never');
    expect(formatPayback(40.2)).toBe('40 h');
  });

  it('says the risk of a spot and of an on-demand pool', () => {
    expect(
      riskOf({
        capacityType: 'spot',
        preemptionsPerMonth: 2.5,
        availability: 0.995,
        riskSource: 'the bundled traces',
      }),
    ).toBe(
      'spot: 2.5 preemptions a month expected, 99.50 % available (the bundled traces)',
    );
    expect(
      riskOf({
        capacityType: 'on-demand',
        preemptionsPerMonth: 0,
        availability: 1,
        riskSource: 'x',
      }),
    ).toBe('on-demand: not preempted, 100.00 % available');
  });

  it('works out the figures of a move from the what-if', () => {
    const report = arbitrageReport();
    const to = report.options[0];
    const figures = moveFigures(report, to);
    expect(figures).toEqual({
      from: 'l4-ondemand (prod-use1)',
      to: 'g2-l4-spot (prod-usc1)',
      savingUsdPerMonth: expect.closeTo(1175.3 - 420.48 - 1.2, 6),
      moveUsd: 3.61,
      moveParts: to.move!.what,
      paybackHours: expect.closeTo(3.61 / ((1175.3 - 421.68) / 730), 6),
      risk: expect.stringMatching(/^spot: 2\.5 preemptions a month expected/),
    });
    // A dearer pool never pays; an unpriced current pool has no saving.
    const dear = arbitrageOption({ current: false, monthlyUsd: 2000 });
    expect(moveFigures(report, dear).paybackHours).toBeUndefined();
    const unpriced = moveFigures(
      arbitrageReport({
        currentMonthlyUsd: undefined,
        options: [to],
      }),
      to,
    );
    expect(unpriced.savingUsdPerMonth).toBeUndefined();
    expect(unpriced.from).toBe('where it runs now');
  });

  it('says where a move goes and what it saves', () => {
    expect(moveRoute({ details, reason: 'x' })).toBe(
      'l4-ondemand (prod-use1) → g2-l4-spot (prod-usc1)',
    );
    expect(moveRoute({ reason: 'Move to g2-l4 (demo-gcp)' })).toBe(
      'Move to g2-l4 (demo-gcp)',
    );
    expect(moveRoute({ reason: '' })).toBe('—');
    expect(monthlySaving(details)).toBeCloseTo(753.62, 6);
    expect(
      monthlySaving({
        ...details,
        from: { ...details.from, monthlyUsd: undefined },
      }),
    ).toBeUndefined();
    expect(monthlySaving(undefined)).toBeUndefined();
  });

  it('labels the state of a move', () => {
    const base = { steps, stepIndex: -1, dryRun: false };
    expect(moveStateLabel({ ...base, state: 'planned', dryRun: true })).toBe(
      'waiting for approval',
    );
    expect(moveStateLabel({ ...base, state: 'planned' })).toBe('about to move');
    expect(moveStateLabel({ ...base, state: 'applying', stepIndex: 1 })).toBe(
      'moving (step 2 of 8)',
    );
    expect(moveStateLabel({ ...base, state: 'verifying' })).toBe(
      'moving (verifying)',
    );
    expect(
      moveStateLabel({ ...base, state: 'rollingBack', stepIndex: 3 }),
    ).toBe('rolling back (step 4 of 8)');
    expect(moveStateLabel({ ...base, state: 'rolledBack' })).toBe(
      'rolled back',
    );
    for (const state of ['done', 'failed', 'cancelled'] as const) {
      expect(moveStateLabel({ ...base, state })).toBe(state);
    }
    expect(isMoving({ state: 'applying', dryRun: false })).toBe(true);
    expect(isMoving({ state: 'rollingBack', dryRun: false })).toBe(true);
    // Approved, about to move: followed too.
    expect(isMoving({ state: 'planned', dryRun: false })).toBe(true);
    expect(isMoving({ state: 'planned', dryRun: true })).toBe(false);
    expect(isMoving({ state: 'done', dryRun: false })).toBe(false);
  });

  it('estimates what a finished move has saved so far', () => {
    const now = Date.parse('2026-11-24T12:00:00Z');
    // 10 h at 753.62 / 730 an hour, less the move.
    expect(
      realisedSoFar(
        { state: 'done', finishedAt: '2026-11-24T02:00:00Z', details },
        now,
      ),
    ).toBeCloseTo((753.62 / 730) * 10 - 3.61, 6);
    expect(realisedSoFar({ state: 'applying', details }, now)).toBeUndefined();
    expect(
      realisedSoFar({ state: 'done', finishedAt: '2026-11-24T02:00:00Z' }, now),
    ).toBeUndefined();
  });

  it('makes idempotency keys the backend takes', () => {
    const key = newMoveKey();
    expect(key).toMatch(/^[A-Za-z0-9._:-]{1,200}$/);
    expect(newMoveKey()).not.toBe(key);
  });
});
