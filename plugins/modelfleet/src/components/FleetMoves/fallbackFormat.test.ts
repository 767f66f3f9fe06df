import { fallbackDetails } from '../../__testUtils__/spotFixtures';
import {
  fallbackCause,
  fallbackDirection,
  fallbackPrices,
  fallbackReplicas,
  fallbackRoute,
  fallbackStateLabel,
  replicasText,
  standInPremium,
  waitsForApproval,
} from './fallbackFormat';

const steps = Array.from({ length: 3 }, () => ({
  description: 'a step',
  do: { op: 'apply' as const, cluster: 'c', objects: [] },
}));

describe('spot fallback format', () => {
  const up = fallbackDetails();
  const down = fallbackDetails({
    direction: 'return',
    replicas: { from: 2, to: 0 },
    noticedAt: undefined,
  });

  it('says a spread over another spot pool: route, direction, replicas and cause', () => {
    const spread = fallbackDetails({
      direction: 'spread',
      replicas: { from: 0, to: 0 },
      noticedAt: undefined,
      spread: [
        {
          pool: 'gpupool:default/prod-use1.g6e-l40s-spot',
          title: 'g6e-l40s-spot (prod-use1)',
          usdPerHour: 0.9,
          replicas: { from: 0, to: 1 },
        },
      ],
    });
    expect(fallbackRoute({ fallback: spread, reason: 'r' })).toBe(
      'g6-l4-spot (prod-use1) + spot on g6e-l40s-spot (prod-use1)',
    );
    expect(fallbackDirection(spread)).toBe('Spread over spot pools');
    expect(fallbackReplicas(spread)).toBe(
      'spot on g6e-l40s-spot (prod-use1) 0 → 1 replica',
    );
    expect(fallbackCause(spread)).toBe(
      'one reclaim should not take every spot replica',
    );
    // A fallback that moves both says both.
    expect(
      fallbackReplicas({
        replicas: { from: 0, to: 2 },
        spread: [{ ...spread.spread![0], replicas: { from: 1, to: 0 } }],
      }),
    ).toBe(
      'stand-in 0 → 2 replicas; spot on g6e-l40s-spot (prod-use1) 1 → 0 replicas',
    );
  });

  it('says the route, direction and replicas of a fallback and of a return', () => {
    expect(fallbackRoute({ fallback: up, reason: 'r' })).toBe(
      'g6-l4-spot (prod-use1) → on-demand stand-in on l4-ondemand (prod-use1)',
    );
    expect(fallbackRoute({ fallback: down, reason: 'r' })).toBe(
      'on-demand stand-in on l4-ondemand (prod-use1) → g6-l4-spot (prod-use1)',
    );
    expect(fallbackRoute({ reason: 'On-demand stand-in 0 → 1' })).toBe(
      'On-demand stand-in 0 → 1',
    );
    expect(fallbackRoute({ reason: '' })).toBe('—');
    expect(fallbackDirection(up)).toBe('Fallback to on-demand');
    expect(fallbackDirection(down)).toBe('Return to spot');
    expect(fallbackReplicas(up)).toBe('stand-in 0 → 2 replicas');
    expect(fallbackReplicas({ replicas: { from: 0, to: 1 } })).toBe(
      'stand-in 0 → 1 replica',
    );
    expect(replicasText(0)).toBe('0 replicas');
    expect(replicasText(1)).toBe('1 replica');
  });

  it('says what a fallback answered', () => {
    expect(fallbackCause(up)).toBe('spot reclaim notice');
    expect(
      fallbackCause({
        direction: 'fallback',
        unscheduledSince: '2026-12-03T12:00:00Z',
      }),
    ).toBe('no spot capacity (no node for spot)');
    expect(fallbackCause({ direction: 'fallback' })).toBe('spot unavailable');
    expect(fallbackCause(down)).toBe('spot serves again');
  });

  it('says the prices per replica-hour, one meaning per dollar', () => {
    expect(fallbackPrices(up)).toBe(
      'on-demand stand-in $0.80 per replica-hour vs $0.31 per replica-hour on spot',
    );
    expect(standInPremium(up)).toBeCloseTo(0.49);
  });

  it('says the state and whether it waits for approval', () => {
    const a = { state: 'planned' as const, stepIndex: -1, steps, dryRun: true };
    expect(fallbackStateLabel(a)).toBe('waiting for approval');
    expect(waitsForApproval(a)).toBe(true);
    expect(fallbackStateLabel({ ...a, dryRun: false })).toBe('about to apply');
    expect(waitsForApproval({ ...a, dryRun: false })).toBe(false);
    expect(fallbackStateLabel({ ...a, state: 'applying', stepIndex: 1 })).toBe(
      'applying (step 2 of 3)',
    );
    expect(fallbackStateLabel({ ...a, state: 'verifying' })).toBe(
      'applying (verifying)',
    );
    expect(
      fallbackStateLabel({ ...a, state: 'rollingBack', stepIndex: 0 }),
    ).toBe('rolling back (step 1 of 3)');
    expect(fallbackStateLabel({ ...a, state: 'rolledBack' })).toBe(
      'rolled back',
    );
    expect(fallbackStateLabel({ ...a, state: 'done' })).toBe('done');
    expect(waitsForApproval({ ...a, state: 'done' })).toBe(false);
  });
});
