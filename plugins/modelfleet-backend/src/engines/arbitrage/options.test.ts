import { transferCost } from './egress';
import { ArbitragePool, modelOptions, ModelPosition } from './options';
import { bestOpportunity } from './opportunities';

const pool = (
  ref: string,
  over: Partial<ArbitragePool> = {},
): ArbitragePool => ({
  ref,
  provider: 'aws',
  region: 'us-east-1',
  capacityType: 'on-demand',
  gpu: { product: 'NVIDIA-A10G', memoryMiB: 24_576, perNode: 1 },
  usdPerNodeHour: 1,
  freeUnits: 0,
  addableNodes: 10,
  preemptionsPerNodeMonth: 0,
  availability: 1,
  ...over,
});

const POOLS = [
  pool('a-ondemand'),
  pool('b-spot', {
    capacityType: 'spot',
    usdPerNodeHour: 0.4,
    preemptionsPerNodeMonth: 2,
    availability: 0.995,
  }),
  pool('c-gcp', {
    provider: 'gcp',
    region: 'us-central1',
    usdPerNodeHour: 0.7,
  }),
  pool('d-azure-spot', {
    provider: 'azure',
    region: 'eastus',
    capacityType: 'spot',
    usdPerNodeHour: 0.3,
    availability: 0.9,
  }),
  pool('e-small', {
    gpu: { product: 'NVIDIA-T4', memoryMiB: 16_384, perNode: 1 },
    usdPerNodeHour: 0.2,
  }),
];

const model = (
  over: Partial<ModelPosition['request']> = {},
): ModelPosition => ({
  request: {
    id: 'model:default/chat',
    replicas: 2,
    gpusPerReplica: 1,
    memoryMiB: 20_480,
    spot: 'allow',
    ...over,
  },
  current: [{ pool: 'a-ondemand', replicas: 2 }],
  loadSeconds: 60,
  weightsGiB: 16,
});

const SETTINGS = { provisioningSeconds: 120, drainSeconds: 30 };
const POLICY = {
  minSavingsPercent: 20,
  paybackHorizonHours: 168,
  minAvailability: 0.99,
};

describe('what a model would cost on each pool', () => {
  it('prices every eligible pool, preemptions and the move included, and says why the others are not', () => {
    const o = modelOptions(model(), POOLS, SETTINGS);
    expect(o.currentMonthlyUsd).toBeCloseTo(2 * 1 * 730, 6);
    expect(o.rejected).toEqual([
      expect.objectContaining({ pool: 'e-small', code: 'gpu-memory' }),
    ]);
    // Cheapest first, with what a month and a move cost.
    expect(o.options.map(x => x.pool)).toEqual([
      'd-azure-spot',
      'b-spot',
      'c-gcp',
      'a-ondemand',
    ]);
    const spot = o.options.find(x => x.pool === 'b-spot')!;
    expect(spot.monthlyUsd).toBeCloseTo(0.8 * 730, 6);
    // Two nodes, 2 preemptions each a month; each a node and a load
    // (180 s) of one replica's $0.40/h.
    expect(spot.preemptionsPerMonth).toBeCloseTo(4, 9);
    expect(spot.preemptionUsdPerMonth).toBeCloseTo(4 * 0.4 * 0.05, 9);
    // Make-before-break in the region: the target's two replicas paid for
    // 180 s before they serve, the source's two for the 30 s drain.
    expect(spot.move!.warmupGpuMinutes).toBeCloseTo(6 + 1, 9);
    expect(spot.move!.usd).toBeCloseTo(2 * 0.4 * 0.05 + (2 * 30) / 3600, 9);
    expect(spot.move!.transferUsd).toBe(0);
    // To another cloud: the weights leave AWS at its internet egress price.
    const gcp = o.options.find(x => x.pool === 'c-gcp')!;
    expect(gcp.move!.transferUsd).toBeCloseTo(16 * 1.073741824 * 0.09, 9);
    expect(gcp.move!.what[1]).toBe(
      '16.0 GiB of weights out of aws to gcp at $0.09/GB',
    );
    const here = o.options.find(x => x.pool === 'a-ondemand')!;
    expect(here).toMatchObject({ current: true });
    expect(here.move).toBeUndefined();
  });

  it('follows the placement engine: no spot for a model that forbids it', () => {
    const o = modelOptions(model({ spot: 'forbid' }), POOLS, SETTINGS);
    expect(o.options.map(x => x.pool)).toEqual(['c-gcp', 'a-ondemand']);
    expect(o.rejected.map(r => r.code).sort()).toEqual([
      'gpu-memory',
      'spot-forbidden',
      'spot-forbidden',
    ]);
  });
});

describe('the best move for a model', () => {
  const best = (m: ModelPosition, policy = POLICY) =>
    bestOpportunity(
      { ...modelOptions(m, POOLS, SETTINGS), from: ['a-ondemand'] },
      policy,
    );

  it('moves to the pool that saves most, above the availability floor, with its payback and risk', () => {
    const { opportunity, reason } = best(model());
    // The Azure spot pool is cheaper, but out of capacity 10 % of the time.
    expect(opportunity!.to.pool).toBe('b-spot');
    const saving = 1460 - (584 + 0.08);
    expect(opportunity!.savingUsdPerMonth).toBeCloseTo(saving, 6);
    expect(opportunity!.savingPercent).toBeCloseTo((saving / 1460) * 100, 6);
    const moveUsd = 0.04 + 60 / 3600;
    expect(opportunity!.paybackHours).toBeCloseTo(moveUsd / (saving / 730), 9);
    expect(opportunity!.risk).toMatchObject({
      preemptionsPerMonth: 4,
      availability: 0.995,
    });
    expect(reason).toBe(
      "to b-spot (aws us-east-1, spot): $876 a month less (60 %); the move costs $0.06 once (7 GPU-minutes without serving (the target's nodes starting and loading the model, the source draining)), paid back in 3 min; 4.0 preemptions a month expected, capacity available 99.5 % of the time",
    );
  });

  it('counts the move against the saving over the payback horizon', () => {
    // Spot forbidden: to GCP on-demand, 30 % less, less the move's cost.
    const { opportunity } = best(model({ spot: 'forbid' }));
    expect(opportunity!.to.pool).toBe('c-gcp');
    const moveUsd = 2 * 0.7 * 0.05 + 60 / 3600 + 16 * 1.073741824 * 0.09;
    const horizon = 168 / 730;
    expect(opportunity!.netSavingPercent).toBeCloseTo(
      ((438 * horizon - moveUsd) / (1460 * horizon)) * 100,
      6,
    );
    // Over one hour the move's cost is more than the saving.
    const short = best(model({ spot: 'forbid' }), {
      ...POLICY,
      paybackHorizonHours: 1,
    });
    expect(short.opportunity).toBeUndefined();
    expect(short.reason).toMatch(
      /^no move clears the policy: the closest, c-gcp, saves -?[\d.]+ % over 1 h after the move's cost, under 20 %$/,
    );
  });

  it('says why there is none', () => {
    expect(
      best(model({ spot: 'forbid' }), { ...POLICY, minSavingsPercent: 35 }),
    ).toEqual({
      reason:
        "no move clears the policy: the closest, c-gcp, saves 29.5 % over 168 h after the move's cost, under 35 %",
    });
    expect(
      bestOpportunity(
        {
          ...modelOptions(
            { ...model(), current: [{ pool: 'gone', replicas: 2 }] },
            POOLS,
            SETTINGS,
          ),
          from: ['gone'],
        },
        POLICY,
      ),
    ).toEqual({ reason: 'no price is known for where it runs now' });
  });
});

describe('transferCost', () => {
  it('is nothing within a region, inter-region within a cloud, internet egress across clouds', () => {
    const aws = { provider: 'aws', region: 'us-east-1' };
    expect(transferCost(10, aws, aws)).toMatchObject({ usd: 0, gib: 0 });
    expect(
      transferCost(10, aws, { provider: 'aws', region: 'us-west-2' })!.usd,
    ).toBeCloseTo(10 * 1.073741824 * 0.02, 9);
    expect(
      transferCost(10, { provider: 'gcp', region: 'us-central1' }, aws)!.usd,
    ).toBeCloseTo(10 * 1.073741824 * 0.12, 9);
    // A cloud without a known price: not priced.
    expect(
      transferCost(10, { provider: 'onprem', region: 'dc1' }, aws),
    ).toBeUndefined();
  });
});
