import { mockServices } from '@backstage/backend-test-utils';
import type { GpuPoolStatus } from '@modelfleet/plugin-modelfleet-common';
import type {
  SpotRiskSignal,
  SpotRiskSource,
} from '@modelfleet/plugin-modelfleet-node';
import { cloudSpotPrior, SpotSignalBook } from './cloudSpotRisk';
import { createPoolRisk } from './poolRisk';

const TRACES = {
  preemptionsPerNodeMonth: 140,
  availability: 0.36,
  source: 'the traces',
};

const signal = (s: Partial<SpotRiskSignal>): SpotRiskSignal => ({
  provider: 'azure',
  instanceType: 'standard_nc24ads_a100_v4',
  region: 'eastus',
  source: 'test',
  observedAt: '2026-12-06T10:00:00.000Z',
  ...s,
});

describe("the clouds' spot signals in a pool's prior", () => {
  it('reads an eviction band as the share evicted a month, its upper end, and keeps the traces’ availability', () => {
    const p = cloudSpotPrior(TRACES, [
      signal({ evictionRatePercent: { min: 5, max: 10 } }),
    ])!;
    expect(p.preemptionsPerNodeMonth).toBeCloseTo(-Math.log(0.9), 10);
    expect(p.availability).toBe(0.36);
    expect(p.source).toBe(
      "Azure's eviction rate 5–10 % a month for standard_nc24ads_a100_v4 in eastus (read 6 Dec 2026); availability from the traces",
    );
    // An open band reads as ten points above its start; the worst band wins.
    const open = cloudSpotPrior(TRACES, [
      signal({ evictionRatePercent: { min: 0, max: 5 } }),
      signal({ evictionRatePercent: { min: 20 } }),
    ])!;
    expect(open.preemptionsPerNodeMonth).toBeCloseTo(-Math.log(0.7), 10);
    expect(open.source).toContain('20+ %');
  });

  it('reads the lowest placement score of the pool’s zones as the chance in ten a launch finds capacity', () => {
    const p = cloudSpotPrior(TRACES, [
      signal({
        provider: 'aws',
        instanceType: 'g5.xlarge',
        region: 'us-east-1',
        zone: 'us-east-1a',
        placementScore: 9,
      }),
      signal({
        provider: 'aws',
        instanceType: 'g5.xlarge',
        region: 'us-east-1',
        zone: 'us-east-1b',
        placementScore: 4,
      }),
    ])!;
    expect(p.availability).toBe(0.4);
    expect(p.preemptionsPerNodeMonth).toBe(140);
    expect(p.source).toBe(
      "AWS's spot placement score 4 of 10 for g5.xlarge in us-east-1b (read 6 Dec 2026); preemptions from the traces",
    );
  });

  it('keeps the traces’ prior when the cloud says nothing, and stands alone without one', () => {
    expect(cloudSpotPrior(TRACES, [])).toBe(TRACES);
    expect(cloudSpotPrior(undefined, [])).toBeUndefined();
    expect(
      cloudSpotPrior(undefined, [
        signal({ evictionRatePercent: { min: 0, max: 5 } }),
      ]),
    ).toEqual(expect.objectContaining({ availability: 1 }));
  });

  it('is the prior a spot pool without history of its own is judged by; on-demand is not touched', () => {
    const pool = {
      ref: 'gpupool:default/demo-azure-eastus.nca100spot',
      provider: 'azure',
      region: 'eastus',
      capacityType: 'spot' as const,
      instanceType: 'Standard_NC24ads_A100_v4',
      gpu: { product: 'A100', memoryMiB: 81_920, perNode: 1 },
      usdPerNodeHour: 1,
      freeUnits: 0,
      addableNodes: 1,
    };
    const risk = createPoolRisk(TRACES, new Map(), 730, p =>
      p.instanceType
        ? [signal({ evictionRatePercent: { min: 0, max: 5 } })]
        : [],
    );
    expect(risk(pool).preemptionsPerNodeMonth).toBeCloseTo(-Math.log(0.95), 10);
    expect(risk(pool).source).toMatch(
      /^no history of its own yet: the prior of Azure's eviction rate 0–5 %/,
    );
    expect(
      risk({ ...pool, capacityType: 'on-demand' }).preemptionsPerNodeMonth,
    ).toBe(0);
  });
});

describe('SpotSignalBook', () => {
  const pool = (p: Partial<GpuPoolStatus>) =>
    ({
      cluster: 'demo-aws-use1',
      name: 'g5-spot',
      provider: 'aws',
      region: 'us-east-1',
      zones: ['us-east-1a'],
      instanceType: 'g5.xlarge',
      capacityType: 'spot',
      ...p,
    } as GpuPoolStatus);

  function setup(
    answer: () => Promise<{ signals: SpotRiskSignal[]; issues: string[] }>,
  ) {
    let now = 0;
    let pools = [pool({}), pool({ name: 'g5-od', capacityType: 'on-demand' })];
    const calls: string[][] = [];
    const source: SpotRiskSource = {
      id: 'aws-spot-placement-scores',
      listSpotRisk: async q => {
        calls.push(q.map(x => `${x.region}/${x.instanceType}`));
        return answer();
      },
    };
    const logger = mockServices.logger.mock();
    const book = new SpotSignalBook({
      sources: [source],
      listPools: async () => pools,
      logger,
      now: () => now,
    });
    return {
      book,
      calls,
      logger,
      at: (ms: number) => {
        now = ms;
      },
      setPools: (p: GpuPoolStatus[]) => {
        pools = p;
      },
    };
  }
  const score = (zone: string, placementScore: number) =>
    signal({
      provider: 'aws',
      instanceType: 'g5.xlarge',
      region: 'us-east-1',
      zone,
      placementScore,
      source: 'aws-spot-placement-scores',
    });

  it('asks for the spot pools’ types once a day, again for a new type after an hour, and matches a pool’s own zones', async () => {
    const t = setup(async () => ({
      signals: [score('us-east-1a', 8), score('us-east-1b', 2)],
      issues: ['a row skipped'],
    }));
    await t.book.refresh();
    expect(t.calls).toEqual([['us-east-1/g5.xlarge']]);
    expect(t.logger.warn).toHaveBeenCalledWith(
      'Spot risk from aws-spot-placement-scores: a row skipped',
    );
    expect(
      t.book
        .signalsFor({
          provider: 'aws',
          region: 'us-east-1',
          instanceType: 'G5.XLARGE',
          zones: ['us-east-1a'],
        })
        .map(s => s.placementScore),
    ).toEqual([8]);
    // No zone of its own among the signals: none region-wide either.
    expect(
      t.book.signalsFor({
        provider: 'aws',
        region: 'us-east-1',
        instanceType: 'g5.xlarge',
        zones: ['us-east-1c'],
      }),
    ).toEqual([]);
    expect(t.book.signalsFor({ provider: 'aws', region: 'us-east-1' })).toEqual(
      [],
    );

    t.at(30 * 60_000);
    t.setPools([pool({}), pool({ name: 'g6', instanceType: 'g6.xlarge' })]);
    await t.book.refresh();
    expect(t.calls).toHaveLength(1);
    t.at(61 * 60_000);
    await t.book.refresh();
    expect(t.calls[1]).toEqual(['us-east-1/g5.xlarge', 'us-east-1/g6.xlarge']);
    t.at(2 * 3_600_000);
    await t.book.refresh();
    expect(t.calls).toHaveLength(2);
    t.at(86_400_000 + 61 * 60_000);
    await t.book.refresh();
    expect(t.calls).toHaveLength(3);
  });

  it('keeps a failing source’s last answer and logs why', async () => {
    let fail = false;
    const t = setup(async () => {
      if (fail) throw new Error('UnauthorizedOperation');
      return { signals: [score('us-east-1a', 7)], issues: [] };
    });
    await t.book.refresh();
    fail = true;
    t.at(86_400_000);
    await t.book.refresh();
    expect(t.logger.warn).toHaveBeenCalledWith(
      'Spot risk from aws-spot-placement-scores not read (its last answer stands): UnauthorizedOperation',
    );
    expect(
      t.book.signalsFor({
        provider: 'aws',
        region: 'us-east-1',
        instanceType: 'g5.xlarge',
        zones: ['us-east-1a'],
      }),
    ).toHaveLength(1);
  });
});
