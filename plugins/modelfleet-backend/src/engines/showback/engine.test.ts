import { detectAnomalies } from './anomalies';
import { budgetStatus, monthProjection } from './budget';
import {
  addDays,
  bucketOf,
  dayOf,
  eachDay,
  parseDay,
  REPORT_DAYS,
} from './days';
import { reconcile } from './reconcile';
import { meanPerStep, resolvePoolPrice } from './usage';
import { bucketSeries, totalsOf } from './series';

const days = (n: number, start = '2026-11-01') =>
  eachDay(start, addDays(start, n));

describe('detectAnomalies', () => {
  it('finds a spike and a drop against the same weekdays before', () => {
    const noise = [0, 4, -2, 1, -1, 3, -3];
    const series = days(28).map((day, i) => ({
      day,
      costUsd: 100 + noise[i % 7],
    }));
    series[20] = { ...series[20], costUsd: 350 };
    series[24] = { ...series[24], costUsd: 5 };
    const found = detectAnomalies(series);
    expect(found.map(a => [a.day, a.direction])).toEqual([
      ['2026-11-21', 'spike'],
      ['2026-11-25', 'drop'],
    ]);
    expect(found[0].baselineUsd).toBe(97);
    expect(found[0].score).toBeGreaterThan(3.5);
  });

  it('does not flag a flat series, nor judge days without two earlier same weekdays', () => {
    const flat = days(30).map(day => ({ day, costUsd: 50 }));
    expect(detectAnomalies(flat)).toEqual([]);
    const early = days(14).map((day, i) => ({
      day,
      costUsd: i === 13 ? 500 : 50,
    }));
    expect(detectAnomalies(early)).toEqual([]);
  });

  it('learns a weekly pattern: quiet weekends are not anomalies, a busy Sunday is', () => {
    // 2026-11-02 is a Monday; weekdays cost 100, weekends 40.
    const series = days(35, '2026-11-02').map(day => {
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      return { day, costUsd: weekday === 0 || weekday === 6 ? 40 : 100 };
    });
    expect(detectAnomalies(series)).toEqual([]);
    series[34] = { day: series[34].day, costUsd: 100 }; // Sunday 2026-12-06
    expect(
      detectAnomalies(series).map(a => [a.day, a.direction, a.baselineUsd]),
    ).toEqual([['2026-12-06', 'spike', 40]]);
  });

  it('flags a steady model that doubles, though its MAD is 0', () => {
    const series = days(15).map((day, i) => ({
      day,
      costUsd: i === 14 ? 100 : 50,
    }));
    expect(detectAnomalies(series).map(a => a.day)).toEqual(['2026-11-15']);
  });
});

describe('budgetStatus', () => {
  const daily = days(10).map(day => ({ day, costUsd: 100 }));

  it('forecasts month-to-date plus the recent run rate', () => {
    expect(
      budgetStatus({ monthlyBudgetUsd: 5000, today: '2026-11-10', daily }),
    ).toEqual({
      month: '2026-11',
      monthlyBudgetUsd: 5000,
      monthToDateUsd: 1000,
      forecastUsd: 3000,
      dailyRunRateUsd: 100,
      runRateDays: 7,
      burn: 0.2,
      status: 'ok',
    });
  });

  it("does not let today's running cost lower the run rate or stand for a whole day", () => {
    // Nine complete days of $100, and today at 05:00 with $20 so far.
    const running = [
      ...days(9).map(day => ({ day, costUsd: 100 })),
      { day: '2026-11-10', costUsd: 20 },
    ];
    const p = monthProjection({ today: '2026-11-10', daily: running });
    expect(p).toEqual({
      month: '2026-11',
      monthToDateUsd: 920,
      dailyRunRateUsd: 100,
      runRateDays: 7,
      monthlyRunRateUsd: 3000,
      // 9 complete days + 21 days left, today included, at $100.
      forecastUsd: 3000,
    });
    // The projection is the run rate's month when the run rate held all month.
    expect(p.forecastUsd).toBeCloseTo(p.monthlyRunRateUsd, 9);
    // A complete day (a period that ended) counts as it is.
    const ended = monthProjection({
      today: '2026-11-10',
      daily: running,
      partialToday: false,
    });
    expect(ended.dailyRunRateUsd).toBeCloseTo((6 * 100 + 20) / 7, 9);
    expect(ended.forecastUsd).toBeCloseTo(920 + 20 * ended.dailyRunRateUsd, 9);
  });

  it('takes the run rate of the first days of a month from the days before', () => {
    const p = monthProjection({
      today: '2026-12-02',
      daily: [
        { day: '2026-11-29', costUsd: 90 },
        { day: '2026-11-30', costUsd: 110 },
        { day: '2026-12-01', costUsd: 100 },
        { day: '2026-12-02', costUsd: 5 },
      ],
    });
    expect(p.monthToDateUsd).toBe(105);
    expect(p.dailyRunRateUsd).toBe(100);
    expect(p.forecastUsd).toBe(100 + 30 * 100);
    // On the first day of the fleet, with no complete day, the cost so far.
    expect(
      monthProjection({
        today: '2026-12-01',
        daily: [{ day: '2026-12-01', costUsd: 5 }],
      }),
    ).toMatchObject({ forecastUsd: 5, runRateDays: 0, monthlyRunRateUsd: 0 });
  });

  it('is at risk when the forecast passes the budget, over when spending has', () => {
    expect(
      budgetStatus({ monthlyBudgetUsd: 2500, today: '2026-11-10', daily })
        .status,
    ).toBe('at-risk');
    expect(
      budgetStatus({ monthlyBudgetUsd: 900, today: '2026-11-10', daily })
        .status,
    ).toBe('over');
  });

  it('ignores days of other months and after today', () => {
    const s = budgetStatus({
      monthlyBudgetUsd: 5000,
      today: '2026-11-05',
      daily: [{ day: '2026-10-31', costUsd: 999 }, ...daily],
    });
    expect(s.monthToDateUsd).toBe(500);
  });
});

describe('days and series', () => {
  it('parses days strictly, naming the parameter', () => {
    expect(() => parseDay('2026-02-30', 'from')).toThrow(
      /^from: must be a date as YYYY-MM-DD, got '2026-02-30'/,
    );
    expect(() => parseDay('yesterday', 'to')).toThrow(/^to:/);
  });

  it('throws rather than write a day outside the years 0000 to 9999', () => {
    expect(addDays('0000-01-02', -1)).toBe('0000-01-01');
    expect(() => addDays('0000-01-01', -1)).toThrow(RangeError);
    expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
    expect(() => dayOf(8.64e15)).toThrow(RangeError);
    expect(REPORT_DAYS).toEqual({ first: '2000-01-01', last: '2100-12-31' });
  });

  it('buckets by ISO week and month, with empty buckets kept', () => {
    expect(bucketOf('2026-12-03', 'week')).toBe('2026-11-30');
    expect(bucketOf('2026-12-03', 'month')).toBe('2026-12-01');
    const point = (date: string, cost: number, idle: number, saved = 0) => ({
      date,
      costUsd: cost,
      idleUsd: idle,
      unusedUsd: idle / 2,
      gpuHours: cost,
      savedGpuHours: saved,
      savedUsd: 2 * saved,
    });
    const daily = [point('2026-11-29', 1, 0, 3), point('2026-12-01', 2, 1)];
    expect(bucketSeries(daily, 'week', '2026-11-26', '2026-12-10')).toEqual([
      point('2026-11-26', 1, 0, 3),
      point('2026-11-30', 2, 1),
      point('2026-12-07', 0, 0),
    ]);
    expect(totalsOf(daily)).toEqual({
      costUsd: 3,
      idleUsd: 1,
      unusedUsd: 0.5,
      gpuHours: 3,
      savedGpuHours: 3,
      savedUsd: 6,
      daysWithData: 2,
    });
  });
});

describe('reconcile', () => {
  it('compares billed with showback per period', () => {
    const [item] = reconcile(
      [
        {
          source: 'aws-cost-explorer',
          provider: 'aws',
          account: '1',
          from: '2026-11-01',
          to: '2026-12-01',
          billedUsd: 1000,
          billLines: 30,
        },
      ],
      (provider, from, to) =>
        provider === 'aws' && from === '2026-11-01' && to === '2026-12-01'
          ? 950
          : 0,
    );
    expect(item).toMatchObject({
      showbackUsd: 950,
      differenceUsd: -50,
      differenceShare: -0.05,
      direction: 'below-bill',
    });
    expect(item.explanation).toMatch(/^Showback is below the bill: /);
  });

  it('says which way each gap runs, with a gap under 1 % as agreement', () => {
    const bill = (billedUsd: number) => ({
      source: 's',
      provider: 'gcp',
      account: 'a',
      from: '2026-11-01',
      to: '2026-12-01',
      billedUsd,
      billLines: 1,
    });
    const items = reconcile(
      [bill(1000), bill(995), bill(0), bill(1100)],
      () => 1000,
    );
    expect(items.map(i => i.direction)).toEqual([
      'matches',
      'matches',
      'above-bill',
      'below-bill',
    ]);
    expect(items[2]).toMatchObject({ differenceShare: null });
    expect(items[2].explanation).toMatch(/^Showback is above the bill: /);
  });
});

describe('meanPerStep', () => {
  const pods = [
    {
      points: [
        [0, 10],
        [3600, 30],
      ] as Array<[number, number]>,
    },
    {
      points: [
        [0, 20],
        [3600, Number.NaN],
      ] as Array<[number, number]>,
    },
  ];

  it('sums pods per step for rates and averages them for gauges', () => {
    expect(meanPerStep(pods, 'sum')).toEqual({ mean: 30, hours: 2 });
    expect(meanPerStep(pods, 'mean')).toEqual({ mean: 22.5, hours: 2 });
  });

  it('has no mean without a finite value', () => {
    expect(
      meanPerStep([{ points: [[0, Number.NaN]] }], 'mean'),
    ).toBeUndefined();
    expect(meanPerStep([], 'sum')).toBeUndefined();
  });
});

describe('resolvePoolPrice', () => {
  const pool = {
    poolRef: 'gpupool:default/c.l4',
    provider: 'aws',
    region: 'us-east-1',
    zone: 'us-east-1a',
    instanceType: 'g6.xlarge',
    capacityType: 'spot' as const,
  };
  const quote = (
    source: string,
    usdPerHour: number | null,
    observedAt: string,
    extra = {},
  ) => ({
    provider: 'aws' as const,
    instanceType: 'g6.xlarge',
    region: 'us-east-1',
    capacityType: 'spot' as const,
    usdPerHour,
    source,
    observedAt,
    ...extra,
  });
  const bundled = quote(
    'bundled-catalog (skypilot-catalog v9 AWS/GCP, v6 Azure)',
    0.5,
    '2026-11-24T00:00:00.000Z',
  );
  const options = {
    bundledSource: 'bundled-catalog',
    liveSources: ['aws-ec2-spot-price-history'],
  };
  const dayEnd = new Date('2026-11-30T00:00:00Z');

  it('prefers a live price published by the end of the day, in the pool zone', () => {
    const r = resolvePoolPrice(
      pool,
      [
        bundled,
        quote('aws-ec2-spot-price-history', 0.31, '2026-11-29T06:00:00.000Z', {
          zone: 'us-east-1b',
        }),
        quote('aws-ec2-spot-price-history', 0.33, '2026-11-29T06:00:00.000Z', {
          zone: 'us-east-1a',
        }),
        quote('aws-ec2-spot-price-history', 0.2, '2026-11-30T06:00:00.000Z', {
          zone: 'us-east-1a',
        }),
      ],
      dayEnd,
      options,
    );
    expect(r.usdPerNodeHour).toBe(0.33);
    expect(r.provenance[0]).toMatchObject({
      source: 'aws-ec2-spot-price-history',
      observedAt: '2026-11-29T06:00:00.000Z',
    });
  });

  it('falls back to the bundled catalog, saying so, and never uses an unknown or 0.0 price', () => {
    const r = resolvePoolPrice(
      pool,
      [
        bundled,
        quote('aws-ec2-spot-price-history', null, '2026-11-29T06:00:00.000Z'),
        quote('aws-ec2-spot-price-history', 0, '2026-11-29T06:00:00.000Z', {
          flags: ['zero-placeholder'],
        }),
      ],
      dayEnd,
      options,
    );
    expect(r.usdPerNodeHour).toBe(0.5);
    expect(r.provenance[0].note).toMatch(
      /bundled catalog: no price from the live source\(s\) aws-ec2-spot-price-history/,
    );
  });

  it("takes the region's quotes when they name zones by ID and the pool by name, saying so", () => {
    const r = resolvePoolPrice(
      pool,
      [
        quote('bundled-catalog (aws)', 0.42, '2026-11-24T00:00:00.000Z', {
          zone: 'use1-az2',
        }),
        quote('bundled-catalog (aws)', 0.4, '2026-11-24T00:00:00.000Z', {
          zone: 'use1-az1',
        }),
      ],
      dayEnd,
      { ...options, liveSources: [] },
    );
    expect(r.usdPerNodeHour).toBe(0.4);
    expect(r.provenance[0].note).toBe(
      "no quote names zone us-east-1a: the cheapest of the region's zones (use1-az1, use1-az2)",
    );
  });

  it('has no price when no source knows the machine', () => {
    const r = resolvePoolPrice(pool, [], dayEnd, options);
    expect(r.usdPerNodeHour).toBeNull();
    expect(r.provenance[0].note).toBe('no price source knows this machine');
  });
});
