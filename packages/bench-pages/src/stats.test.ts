import { figureLine, percentile, summaryLine } from './stats';

describe('percentile', () => {
  it('takes the nearest rank of the sorted values', () => {
    const runs = [900, 100, 500, 300, 700];
    expect(percentile(runs, 50)).toBe(500);
    expect(percentile(runs, 90)).toBe(900);
    expect(percentile(runs, 0)).toBe(100);
    expect(percentile([4, 1, 3, 2], 50)).toBe(2);
    expect(percentile([42], 90)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('figureLine', () => {
  it('says whether the p50 meets the goal and by what ratio', () => {
    expect(
      figureLine({
        key: 'warm',
        label: 'model page, from another page',
        ms: [412.4, 530.2, 380.9],
        goalMs: 1000,
      }),
    ).toBe(
      'model page, from another page: p50 412 ms, p90 530 ms over 3 runs; goal 1000 ms: met (0.41 of it)',
    );
    expect(
      figureLine({ key: 'cold', label: 'new tab', ms: [3800], goalMs: 2000 }),
    ).toBe(
      'new tab: p50 3800 ms, p90 3800 ms over 1 run; goal 2000 ms: NOT met (1.90 of it)',
    );
  });

  it('has no verdict without a goal', () => {
    expect(figureLine({ key: 'fleet', label: 'fleet', ms: [10, 20] })).toBe(
      'fleet: p50 10 ms, p90 20 ms over 2 runs',
    );
  });
});

describe('summaryLine', () => {
  it('is the p50 of each figure, n/a without runs', () => {
    expect(
      summaryLine({ warm: [300, 500, 400], cold: [1200.6], fleet: [] }),
    ).toBe('pages: model_ms_p50=400 model_cold_ms_p50=1201 fleet_ms_p50=n/a');
  });
});
