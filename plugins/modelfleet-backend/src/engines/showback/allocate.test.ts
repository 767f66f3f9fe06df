import { allocateDay, unusedCostOf } from './allocate';
import { PoolDayUsage, WorkloadDayUsage } from './types';

const price = (source = 'bundled-catalog') => [
  {
    kind: 'price' as const,
    source,
    observedAt: '2026-11-01T00:00:00.000Z',
    subject: 'test',
  },
];

// A 4-GPU node at $8/h for 24 h: $192, $2 per GPU-hour.
const wholePool: PoolDayUsage = {
  poolRef: 'gpupool:default/c.whole',
  capacityType: 'on-demand',
  nodeHours: 24,
  gpuHours: 96,
  unitHours: 96,
  usdPerNodeHour: 8,
  provenance: price(),
  demo: false,
};
// One A100 split into 7 MIG slices, spot, $3.50/h for 10 h: $35, $0.50 per slice-hour.
const migPool: PoolDayUsage = {
  poolRef: 'gpupool:default/c.mig',
  capacityType: 'spot',
  nodeHours: 10,
  gpuHours: 10,
  unitHours: 70,
  usdPerNodeHour: 3.5,
  provenance: price('aws-ec2-spot-price-history'),
  demo: false,
};
const workloads: WorkloadDayUsage[] = [
  // 2 GPUs all day: 48 GPU-hours = $96
  {
    modelRef: 'model:default/a',
    teamRef: 'group:default/t1',
    poolRef: wholePool.poolRef,
    unitHours: 48,
  },
  // 1 GPU for 12 h = $24
  {
    modelRef: 'model:default/b',
    teamRef: 'group:default/t2',
    poolRef: wholePool.poolRef,
    unitHours: 12,
  },
  // 3 MIG slices for 10 h = 30 slice-hours = $15, 3/7 of a GPU
  {
    modelRef: 'model:default/c',
    teamRef: 'group:default/t2',
    poolRef: migPool.poolRef,
    unitHours: 30,
  },
];

const row = (
  rows: ReturnType<typeof allocateDay>['rows'],
  scope: string,
  ref: string,
) => rows.find(r => r.scope === scope && r.entityRef === ref)!;

describe('allocateDay', () => {
  it('charges requested GPU units × unit price, fractional and MIG included, idle kept on the pool', () => {
    const { rows, warnings } = allocateDay({
      day: '2026-11-30',
      pools: [wholePool, migPool],
      workloads,
      idleCostPolicy: 'not-shared',
    });
    expect(warnings).toEqual([]);
    expect(row(rows, 'model', 'model:default/a')).toMatchObject({
      costUsd: 96,
      idleUsd: 0,
      gpuHours: 48,
    });
    expect(row(rows, 'model', 'model:default/b')).toMatchObject({
      costUsd: 24,
      idleUsd: 0,
    });
    const c = row(rows, 'model', 'model:default/c');
    expect(c.costUsd).toBeCloseTo(15);
    expect(c.gpuHours).toBeCloseTo(30 / 7);
    expect(c.provenance[0].source).toBe('aws-ec2-spot-price-history');
    expect(row(rows, 'pool', wholePool.poolRef)).toMatchObject({
      costUsd: 192,
      idleUsd: 72,
      nodeHours: 24,
      spotNodeHours: 0,
    });
    expect(row(rows, 'pool', migPool.poolRef)).toMatchObject({
      costUsd: 35,
      idleUsd: 20,
      spotNodeHours: 10,
    });
    expect(row(rows, 'team', 'group:default/t2').costUsd).toBeCloseTo(39);
    expect(row(rows, 'fleet', '')).toMatchObject({ costUsd: 227, idleUsd: 92 });
  });

  it('shares idle cost over the models of the pool by their cost', () => {
    const { rows } = allocateDay({
      day: '2026-11-30',
      pools: [wholePool, migPool],
      workloads,
      idleCostPolicy: 'shared-proportionally',
    });
    // whole pool: idle $72 split 96:24 → a +57.6, b +14.4
    expect(row(rows, 'model', 'model:default/a')).toMatchObject({
      costUsd: 153.6,
      idleUsd: 57.6,
    });
    expect(row(rows, 'model', 'model:default/b').costUsd).toBeCloseTo(38.4);
    // the MIG pool's model takes all of its idle
    expect(row(rows, 'model', 'model:default/c').costUsd).toBeCloseTo(35);
    const models = rows
      .filter(r => r.scope === 'model')
      .reduce((s, r) => s + r.costUsd, 0);
    expect(models).toBeCloseTo(row(rows, 'fleet', '').costUsd);
  });

  it('charges idle cost to the platform team', () => {
    const { rows } = allocateDay({
      day: '2026-11-30',
      pools: [wholePool, migPool],
      workloads,
      idleCostPolicy: 'platform-team',
      platformTeamRef: 'group:default/platform',
    });
    expect(row(rows, 'team', 'group:default/platform')).toMatchObject({
      costUsd: 92,
      idleUsd: 92,
    });
    const teams = rows
      .filter(r => r.scope === 'team')
      .reduce((s, r) => s + r.costUsd, 0);
    expect(teams).toBeCloseTo(227);
  });

  it('never drops idle cost: a pool with no models keeps it under every policy', () => {
    for (const idleCostPolicy of [
      'not-shared',
      'shared-proportionally',
    ] as const) {
      const { rows } = allocateDay({
        day: '2026-11-30',
        pools: [wholePool],
        workloads: [],
        idleCostPolicy,
      });
      expect(row(rows, 'pool', wholePool.poolRef)).toMatchObject({
        costUsd: 192,
        idleUsd: 192,
      });
      expect(row(rows, 'fleet', '')).toMatchObject({
        costUsd: 192,
        idleUsd: 192,
      });
    }
  });

  it('scales charges down to the pool cost when models requested more than it offered', () => {
    const { rows, warnings } = allocateDay({
      day: '2026-11-30',
      pools: [wholePool],
      workloads: [
        {
          modelRef: 'model:default/a',
          teamRef: '',
          poolRef: wholePool.poolRef,
          unitHours: 144,
        },
      ],
      idleCostPolicy: 'not-shared',
    });
    expect(row(rows, 'model', 'model:default/a').costUsd).toBeCloseTo(192);
    expect(row(rows, 'pool', wholePool.poolRef).idleUsd).toBe(0);
    expect(warnings[0]).toMatch(/requested 144.0 GPU unit-hours/);
  });

  it('says what it could not price or place', () => {
    const { rows, warnings } = allocateDay({
      day: '2026-11-30',
      pools: [{ ...wholePool, usdPerNodeHour: null }],
      workloads: [
        {
          modelRef: 'model:default/x',
          teamRef: '',
          poolRef: 'gpupool:default/c.gone',
          unitHours: 5,
        },
      ],
      idleCostPolicy: 'not-shared',
    });
    expect(row(rows, 'pool', wholePool.poolRef).costUsd).toBe(0);
    expect(warnings).toEqual([
      expect.stringMatching(/c\.whole: no price known, its 96\.0 GPU-hours/),
      expect.stringMatching(
        /model:default\/x: its pool gpupool:default\/c\.gone was not observed/,
      ),
    ]);
  });

  it('sums a model on several pools into one row per pool and one team row', () => {
    const { rows } = allocateDay({
      day: '2026-11-30',
      pools: [wholePool, migPool],
      workloads: [
        {
          modelRef: 'model:default/a',
          teamRef: 'group:default/t1',
          poolRef: wholePool.poolRef,
          unitHours: 24,
          metrics: { tokens: 100, busyGpuHours: 12, metricHours: 24 },
        },
        {
          modelRef: 'model:default/a',
          teamRef: 'group:default/t1',
          poolRef: migPool.poolRef,
          unitHours: 7,
          metrics: { tokens: 50 },
        },
      ],
      idleCostPolicy: 'not-shared',
    });
    expect(rows.filter(r => r.scope === 'model')).toHaveLength(2);
    expect(row(rows, 'team', 'group:default/t1')).toMatchObject({
      costUsd: 48 + 3.5,
      tokens: 150,
      busyGpuHours: 12,
    });
    expect(row(rows, 'pool', wholePool.poolRef).tokens).toBe(100);
  });

  it('keeps allocated-but-unused apart from unallocated capacity, summed like cost', () => {
    const withMetrics: WorkloadDayUsage[] = [
      // $96 direct, busy 12 of its 48 GPU-hours: $72 of it did no work.
      { ...workloads[0], metrics: { busyGpuHours: 12 } },
      // No GPU metrics: nothing says its time was idle.
      workloads[1],
      // 3/7 GPU for 10 h, fully busy (busy above the hours is clipped).
      { ...workloads[2], metrics: { busyGpuHours: 5 } },
    ];
    const { rows } = allocateDay({
      day: '2026-11-30',
      pools: [wholePool, migPool],
      workloads: withMetrics,
      idleCostPolicy: 'shared-proportionally',
    });
    const a = row(rows, 'model', 'model:default/a');
    // The idle share ($57.60) is unallocated capacity, not unused time.
    expect(a).toMatchObject({ idleUsd: 57.6, unusedUsd: 72 });
    expect(row(rows, 'model', 'model:default/b').unusedUsd).toBe(0);
    expect(row(rows, 'model', 'model:default/c').unusedUsd).toBe(0);
    expect(row(rows, 'team', 'group:default/t1').unusedUsd).toBe(72);
    expect(row(rows, 'pool', wholePool.poolRef)).toMatchObject({
      idleUsd: 72,
      unusedUsd: 72,
    });
    expect(row(rows, 'fleet', '')).toMatchObject({
      idleUsd: 92,
      unusedUsd: 72,
    });
  });

  it('prices allocated-but-unused from the direct cost only', () => {
    expect(unusedCostOf(100, 10, 2.5)).toBeCloseTo(75);
    expect(unusedCostOf(100, 10, null)).toBe(0);
    expect(unusedCostOf(100, 10, undefined)).toBe(0);
    expect(unusedCostOf(100, 10, 12)).toBe(0);
    expect(unusedCostOf(100, 10, -1)).toBe(100);
    expect(unusedCostOf(100, 0, 0)).toBe(0);
    expect(unusedCostOf(0, 10, 0)).toBe(0);
  });

  it('rejects a platform-team policy without the team', () => {
    expect(() =>
      allocateDay({
        day: '2026-11-30',
        pools: [],
        workloads: [],
        idleCostPolicy: 'platform-team',
      }),
    ).toThrow(/needs platformTeamRef/);
  });
});
