import { percentile, stateOf, trackWakes } from './wakes';

const T = Date.parse('2026-12-04T10:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('wakes', () => {
  it('names the state from the replicas', () => {
    expect(stateOf({ desired: 0, ready: 0 })).toBe('atZero');
    expect(stateOf({ desired: 1, ready: 0 })).toBe('waking');
    expect(stateOf({ desired: 1, ready: 1 })).toBe('warm');
  });

  it('times a wake from its first new pod, created to Ready, as a cold start', () => {
    expect(
      trackWakes({
        previous: { state: 'atZero', observedAt: iso(T - 30_000) },
        state: 'warm',
        now: T,
        pods: [
          {
            name: 'old',
            createdAt: iso(T - 3_600_000),
            readyAt: iso(T - 3_500_000),
          },
          {
            name: 'new',
            createdAt: iso(T - 25_000),
            readyAt: iso(T - 2_000),
          },
        ],
      }),
    ).toEqual({
      add: {
        startedAt: iso(T - 25_000),
        readyAt: iso(T - 2_000),
        seconds: 23,
        cold: true,
      },
    });
  });

  it('opens a wake still loading, and closes it when a replica is ready', () => {
    const first = trackWakes({
      previous: { state: 'atZero', observedAt: iso(T - 30_000) },
      state: 'waking',
      now: T,
      pods: [{ name: 'p', createdAt: iso(T - 10_000) }],
    });
    expect(first).toEqual({ add: { startedAt: iso(T - 10_000), cold: true } });
    expect(
      trackWakes({
        previous: { state: 'waking', observedAt: iso(T) },
        state: 'warm',
        now: T + 30_000,
        open: { startedAt: iso(T - 10_000) },
        pods: [
          { name: 'p', createdAt: iso(T - 10_000), readyAt: iso(T + 12_000) },
        ],
      }),
    ).toEqual({
      ready: { startedAt: iso(T - 10_000), readyAt: iso(T + 12_000) },
    });
  });

  it('does not count a wake ModelFleet asked for as a cold start, and times one without pods by the pass', () => {
    expect(
      trackWakes({
        previous: { state: 'atZero', observedAt: iso(T - 30_000) },
        state: 'warm',
        now: T,
        wokenByModelFleetAt: T - 60_000,
      }),
    ).toEqual({
      add: { startedAt: iso(T), readyAt: iso(T), seconds: 0, cold: false },
    });
  });

  it('records nothing while a model stays at zero or warm, or on the first pass', () => {
    expect(
      trackWakes({
        previous: { state: 'atZero', observedAt: iso(T - 30_000) },
        state: 'atZero',
        now: T,
      }),
    ).toEqual({});
    expect(
      trackWakes({
        previous: { state: 'warm', observedAt: iso(T - 30_000) },
        state: 'warm',
        now: T,
      }),
    ).toEqual({});
    expect(trackWakes({ state: 'warm', now: T })).toEqual({});
  });

  it('takes percentiles by nearest rank', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([30, 10, 20], 50)).toBe(20);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 95)).toBe(100);
  });
});
