import path from 'node:path';
import { PriceQuote } from '@modelfleet/plugin-modelfleet-node';
import {
  isCheapestEligible,
  parseGpuPrices,
  PRICE_FLAGS,
} from './bundledCatalog';
import { BundledPriceSource } from './BundledPriceSource';

const source = new BundledPriceSource(
  path.resolve(__dirname, '../../data/prices'),
);

const cheapest = (quotes: PriceQuote[]) =>
  quotes
    .filter(isCheapestEligible)
    .sort((a, b) => a.usdPerHour! - b.usdPerHour!)[0];

describe('BundledPriceSource on the real catalog', () => {
  it('quotes on-demand and spot for every AWS and Azure row and every GCP machine', async () => {
    expect(await source.listPrices({ provider: 'aws' })).toHaveLength(1845 * 2);
    expect(await source.listPrices({ provider: 'azure' })).toHaveLength(
      159 * 2,
    );
    expect(await source.listPrices({ provider: 'gcp' })).toHaveLength(657 * 2);
  });

  it('keeps an empty price unknown, never zero, and never cheapest', async () => {
    const p5e = await source.listPrices({
      provider: 'aws',
      instanceTypes: ['p5e.48xlarge'],
    });
    const onDemand = p5e.filter(q => q.capacityType === 'on-demand');
    expect(onDemand).toHaveLength(9);
    expect(
      onDemand.every(q => q.usdPerHour === null && !isCheapestEligible(q)),
    ).toBe(true);
    const all = await source.listPrices();
    expect(
      all.filter(q => q.provider !== 'gcp' && q.usdPerHour === null),
    ).toHaveLength(25 + 43 - 11);
  });

  it('flags spot above or equal to on-demand and 0.0 placeholders', async () => {
    const all = await source.listPrices();
    const flagged = (flag: string) => all.filter(q => q.flags?.includes(flag));
    expect(flagged(PRICE_FLAGS.spotAboveOnDemand).length).toBeGreaterThan(0);
    expect(
      flagged(PRICE_FLAGS.spotAboveOnDemand).every(
        q => q.capacityType === 'spot',
      ),
    ).toBe(true);
    // Azure H100 spot rows equal on-demand: a placeholder, not a spot market.
    const h100 = await source.listPrices({
      provider: 'azure',
      instanceTypes: ['Standard_NC40ads_H100_v5'],
    });
    expect(
      h100
        .filter(q => q.capacityType === 'spot')
        .every(q => q.flags?.includes(PRICE_FLAGS.spotEqualsOnDemand)),
    ).toBe(true);
    // GCP a4-highgpu-8g hosts are priced 0.0 in the source.
    const a4 = await source.listPrices({
      provider: 'gcp',
      instanceTypes: ['a4-highgpu-8g'],
    });
    expect(a4.length).toBeGreaterThan(0);
    expect(
      a4.every(
        q =>
          q.flags?.includes(PRICE_FLAGS.zeroPlaceholder) &&
          !isCheapestEligible(q),
      ),
    ).toBe(true);
  });

  it('corrects and flags the GPU count the source gets wrong', async () => {
    const [nd] = await source.listPrices({
      provider: 'azure',
      instanceTypes: ['Standard_ND96isr_H100_v5'],
    });
    expect(nd.gpu).toMatchObject({ product: 'H100', count: 8 });
    expect(nd.flags).toContain(PRICE_FLAGS.gpuCountSuspect);
  });

  it('prices GCP machines as host plus attached GPUs', async () => {
    const a2 = await source.listPrices({
      provider: 'gcp',
      regions: ['us-central1'],
      instanceTypes: ['a2-highgpu-1g'],
    });
    const od = a2.find(
      q => q.capacityType === 'on-demand' && q.zone === 'us-central1-a',
    )!;
    // 0.73948 host + 2.93391 A100 = 3.67339
    expect(od.usdPerHour).toBeCloseTo(3.67339, 5);
    expect(od.gpu).toEqual({ product: 'A100', count: 1, memoryMiB: 40960 });
    expect(od.flags).toContain(PRICE_FLAGS.derivedHostPlusGpu);
    expect(isCheapestEligible(od)).toBe(true);
  });

  it('finds the cheapest eligible L4 machine in us-east-1', async () => {
    const l4 = (
      await source.listPrices({ provider: 'aws', regions: ['us-east-1'] })
    ).filter(
      q =>
        q.gpu?.product === 'L4' &&
        q.gpu.count === 1 &&
        q.capacityType === 'on-demand',
    );
    expect(cheapest(l4)).toMatchObject({
      instanceType: 'g6.xlarge',
      usdPerHour: 0.8048,
    });
  });

  it('names the row and field of a bad price', () => {
    const csv =
      'provider,instance_type,gpu,gpu_count,gpu_memory_gib,vcpus,memory_gib,region,zone,on_demand_usd_per_hour,spot_usd_per_hour\naws,g6.xlarge,L4,1,22.35,4,16,us-east-1,use1-az1,abc,0.4\n';
    expect(() => parseGpuPrices(csv)).toThrow(
      "row 2: on_demand_usd_per_hour 'abc' is not a price",
    );
  });
});
