import { allocateDay } from './allocate';
import { bucketSeries, totalsOf } from './series';
import { PoolDayUsage, WorkloadDayUsage } from './types';
import { aggregateSamples, PoolSampleLike, WorkloadSampleLike } from './usage';

const DAY = '2026-11-30';
const at = (hour: number) =>
  new Date(Date.parse(`${DAY}T00:00:00Z`) + hour * 3_600_000);

const provenance = [
  {
    kind: 'price' as const,
    source: 'bundled-catalog',
    observedAt: '2026-11-01T00:00:00.000Z',
    subject: 'test',
  },
];

// Two 4-GPU nodes at $8/h all day: $384, $2 per GPU-hour.
const pool: PoolDayUsage = {
  poolRef: 'gpupool:default/c.whole',
  capacityType: 'on-demand',
  nodeHours: 48,
  gpuHours: 192,
  unitHours: 192,
  usdPerNodeHour: 8,
  provenance,
  demo: false,
};

const model = (
  name: string,
  team: string,
  unitHours: number,
  savedUnitHours: number,
  poolRef = pool.poolRef,
): WorkloadDayUsage => ({
  modelRef: `model:default/${name}`,
  teamRef: `group:default/${team}`,
  poolRef,
  unitHours,
  savedUnitHours,
});

const rowOf = (
  rows: ReturnType<typeof allocateDay>['rows'],
  scope: string,
  ref: string,
) => rows.find(r => r.scope === scope && r.entityRef === ref)!;

const sumOf = (
  rows: ReturnType<typeof allocateDay>['rows'],
  key: 'savedUsd' | 'savedGpuHours' | 'costUsd',
) => rows.reduce((s, r) => s + r[key], 0);

describe('aggregateSamples: time at zero', () => {
  const workload = (hour: number, replicas: number, seconds = 3600) => ({
    sampledAt: at(hour),
    seconds,
    cluster: 'c',
    namespace: 'vision',
    kind: 'Deployment',
    name: 'sdxl',
    modelId: 'sdxl',
    poolRef: pool.poolRef,
    replicas,
    unitsPerReplica: 2,
  });
  const poolSample = (hour: number, nodes: number): PoolSampleLike => ({
    sampledAt: at(hour),
    seconds: 3600,
    poolRef: pool.poolRef,
    provider: 'aws',
    region: 'us-east-1',
    zone: '',
    instanceType: 'g5.12xlarge',
    capacityType: 'on-demand',
    nodes,
    gpusPerNode: 4,
    unitsPerNode: hour === 23 ? 8 : 4,
    demo: false,
  });
  const modelOf = () => ({
    modelRef: 'model:default/sdxl',
    teamRef: 'group:default/vision-team',
  });

  it('counts the unit-hours of one replica for each hour at zero replicas, cut at midnight', () => {
    const samples: WorkloadSampleLike[] = [
      // At zero from midnight to noon; the last sample runs past midnight.
      ...Array.from({ length: 12 }, (_, h) => workload(h, 0)),
      ...Array.from({ length: 11 }, (_, h) => workload(12 + h, 3)),
      workload(23, 0, 7200),
    ];
    const { workloads } = aggregateSamples(DAY, [], samples, modelOf);
    expect(workloads).toEqual([
      {
        modelRef: 'model:default/sdxl',
        teamRef: 'group:default/vision-team',
        poolRef: pool.poolRef,
        unitHours: 11 * 3 * 2,
        savedUnitHours: 13 * 2,
      },
    ]);
  });

  it('counts no time at zero while another workload of the model runs (a source a move left parked, a stand-in at rest)', () => {
    const target = 'gpupool:default/c2.l4';
    const samples: WorkloadSampleLike[] = [
      // The source, parked at zero all day after a move.
      ...Array.from({ length: 24 }, (_, h) => workload(h, 0)),
      // The target on another cluster, sampled 10 minutes later each
      // hour: running until 18:10, at zero after.
      ...Array.from({ length: 24 }, (_, h) => ({
        ...workload(h, h < 18 ? 1 : 0),
        sampledAt: new Date(at(h).getTime() + 600_000),
        cluster: 'c2',
        poolRef: target,
        unitsPerReplica: 1,
      })),
    ];
    const { workloads } = aggregateSamples(DAY, [], samples, modelOf);
    const saved = Object.fromEntries(
      workloads.map(w => [w.poolRef, w.savedUnitHours]),
    );
    // Before 00:10 only the parked source was seen: 1/6 h at zero; from
    // 18:10 to midnight both are at zero, counted once, as one replica of
    // the workload with the most GPU units (the source's 2).
    expect(saved[pool.poolRef]).toBeCloseTo((1 / 6 + 35 / 6) * 2, 9);
    expect(saved[target]).toBe(0);
  });

  it('keeps the node shape of the last pool sample, nodes or none', () => {
    const { pools } = aggregateSamples(
      DAY,
      [poolSample(23, 0), poolSample(0, 0), poolSample(5, 0)],
      [],
      modelOf,
    );
    expect(pools[0]).toMatchObject({
      nodeHours: 0,
      unitHours: 0,
      gpusPerNode: 4,
      unitsPerNode: 8,
    });
  });
});

describe('allocateDay: hibernation savings', () => {
  it('charges a model at zero nothing, not even an idle share, and prices its saving at the plain unit price', () => {
    const { rows, warnings } = allocateDay({
      day: DAY,
      pools: [pool],
      workloads: [
        model('chat', 'search-team', 96, 0),
        model('sdxl', 'vision-team', 0, 24),
      ],
      idleCostPolicy: 'shared-proportionally',
    });
    expect(warnings).toEqual([]);
    // chat takes the whole pool's cost: its $192 and all $192 of idle.
    expect(rowOf(rows, 'model', 'model:default/chat')).toMatchObject({
      costUsd: 384,
      idleUsd: 192,
      savedUsd: 0,
      savedGpuHours: 0,
    });
    expect(rowOf(rows, 'model', 'model:default/sdxl')).toMatchObject({
      costUsd: 0,
      idleUsd: 0,
      gpuHours: 0,
      savedGpuHours: 24,
      savedUsd: 48,
    });
    expect(rowOf(rows, 'team', 'group:default/vision-team')).toMatchObject({
      costUsd: 0,
      savedUsd: 48,
    });
    expect(rowOf(rows, 'pool', pool.poolRef)).toMatchObject({
      costUsd: 384,
      savedUsd: 48,
      savedGpuHours: 24,
    });
    expect(rowOf(rows, 'fleet', '')).toMatchObject({
      costUsd: 384,
      savedUsd: 48,
      savedGpuHours: 24,
    });
  });

  it.each(['not-shared', 'shared-proportionally'] as const)(
    'adds up under %s: a team saves what its models save, the fleet what its teams and pools save',
    idleCostPolicy => {
      // Three teams on two pools; sdxl is at zero half the day (12 h of one
      // GPU), clip all day on a MIG pool, whisper half of its day there.
      const mig: PoolDayUsage = {
        ...pool,
        poolRef: 'gpupool:default/c.mig',
        // One A100 in 7 slices, $3.50/h for 24 h: $0.50 a slice-hour.
        nodeHours: 24,
        gpuHours: 24,
        unitHours: 168,
        usdPerNodeHour: 3.5,
      };
      const { rows } = allocateDay({
        day: DAY,
        pools: [pool, mig],
        workloads: [
          model('chat', 'search-team', 96, 0),
          model('sdxl', 'vision-team', 12, 12),
          model('clip', 'vision-team', 0, 14, mig.poolRef),
          model('whisper', 'speech-team', 7, 7, mig.poolRef),
        ],
        idleCostPolicy,
      });
      const scope = (s: string) => rows.filter(r => r.scope === s);
      expect(rowOf(rows, 'model', 'model:default/sdxl')).toMatchObject({
        savedGpuHours: 12,
        savedUsd: 24,
      });
      // 14 slice-hours are 2 GPU-hours, $7 at $0.50 a slice-hour.
      const clip = rowOf(rows, 'model', 'model:default/clip');
      expect(clip.costUsd).toBe(0);
      expect(clip.savedGpuHours).toBeCloseTo(2);
      expect(clip.savedUsd).toBeCloseTo(7);
      expect(rowOf(rows, 'team', 'group:default/vision-team').savedUsd).toBe(
        24 + 7,
      );
      // Savings add up under every policy, as cost does once idle is shared.
      const keys =
        idleCostPolicy === 'shared-proportionally'
          ? (['savedUsd', 'savedGpuHours', 'costUsd'] as const)
          : (['savedUsd', 'savedGpuHours'] as const);
      for (const key of keys) {
        const fleet = rowOf(rows, 'fleet', '')[key];
        expect(sumOf(scope('team'), key)).toBeCloseTo(fleet, 9);
        expect(sumOf(scope('pool'), key)).toBeCloseTo(fleet, 9);
        expect(sumOf(scope('model'), key)).toBeCloseTo(fleet, 9);
      }
      expect(rowOf(rows, 'fleet', '').savedUsd).toBeCloseTo(24 + 7 + 3.5);
    },
  );

  it('prices a day the pool had no nodes at the node price / units per node', () => {
    const { rows, warnings } = allocateDay({
      day: DAY,
      pools: [
        {
          ...pool,
          nodeHours: 0,
          gpuHours: 0,
          unitHours: 0,
          gpusPerNode: 4,
          unitsPerNode: 8,
        },
      ],
      workloads: [model('sdxl', 'vision-team', 0, 24)],
      idleCostPolicy: 'not-shared',
    });
    expect(warnings).toEqual([]);
    expect(rowOf(rows, 'model', 'model:default/sdxl')).toMatchObject({
      costUsd: 0,
      savedGpuHours: 12,
      savedUsd: 24,
    });
  });

  it('does not scale savings down with over-allocated charges, nor give the platform team any', () => {
    const { rows } = allocateDay({
      day: DAY,
      pools: [pool],
      workloads: [
        model('chat', 'search-team', 384, 0),
        model('sdxl', 'vision-team', 0, 10),
      ],
      idleCostPolicy: 'platform-team',
      platformTeamRef: 'group:default/platform-team',
    });
    expect(rowOf(rows, 'model', 'model:default/chat').costUsd).toBeCloseTo(384);
    expect(rowOf(rows, 'model', 'model:default/sdxl').savedUsd).toBe(20);
    expect(rowOf(rows, 'team', 'group:default/platform-team')).toMatchObject({
      costUsd: 0,
      savedUsd: 0,
    });
  });

  it('prices no saving without a known price or an observed pool, and says so', () => {
    const { rows, warnings } = allocateDay({
      day: DAY,
      pools: [{ ...pool, usdPerNodeHour: null }],
      workloads: [
        model('sdxl', 'vision-team', 12, 12),
        model('flux', 'vision-team', 0, 5, 'gpupool:default/c.gone'),
      ],
      idleCostPolicy: 'not-shared',
    });
    expect(rowOf(rows, 'model', 'model:default/sdxl')).toMatchObject({
      costUsd: 0,
      savedGpuHours: 12,
      savedUsd: 0,
    });
    expect(
      rows.find(r => r.entityRef === 'model:default/flux'),
    ).toBeUndefined();
    expect(warnings).toEqual([
      expect.stringMatching(/c\.whole: no price known, its 192\.0 GPU-hours/),
      expect.stringMatching(
        /c\.whole: no price known, the 12\.0 GPU unit-hours its models were at zero on 2026-11-30 save nothing in dollars/,
      ),
      expect.stringMatching(
        /model:default\/flux: its pool gpupool:default\/c\.gone was not observed on 2026-11-30; its 5\.0 GPU unit-hours at zero are not counted as savings/,
      ),
    ]);
  });
});

describe('series of savings', () => {
  const point = (date: string, savedUsd: number) => ({
    date,
    costUsd: 10,
    idleUsd: 1,
    unusedUsd: 2,
    gpuHours: 5,
    savedGpuHours: savedUsd / 2,
    savedUsd,
  });

  it('sums savings into totals and buckets like cost', () => {
    const daily = [
      point('2026-11-02', 4),
      point('2026-11-03', 6),
      point('2026-11-09', 1),
    ];
    expect(totalsOf(daily)).toEqual({
      costUsd: 30,
      idleUsd: 3,
      unusedUsd: 6,
      gpuHours: 15,
      savedGpuHours: 5.5,
      savedUsd: 11,
      daysWithData: 3,
    });
    const weeks = bucketSeries(daily, 'week', '2026-11-02', '2026-11-16');
    expect(weeks.map(w => [w.date, w.savedUsd, w.savedGpuHours])).toEqual([
      ['2026-11-02', 10, 5],
      ['2026-11-09', 1, 0.5],
    ]);
  });
});
