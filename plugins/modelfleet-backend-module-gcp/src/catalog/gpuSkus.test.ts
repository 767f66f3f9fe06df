import { sku } from '../__testUtils__/fixtures';
import { gpuOfDescription, gpuSkuPrice, quotesOfGpuSkus } from './gpuSkus';

describe('gpuOfDescription', () => {
  it.each([
    ['Nvidia L4 GPU running in Americas', 'nvidia-l4'],
    [
      'Nvidia L4 GPU attached to Spot Preemptible VMs running in Tokyo',
      'nvidia-l4',
    ],
    ['Nvidia Tesla T4 GPU running in Warsaw', 'nvidia-tesla-t4'],
    [
      'Preemptible Nvidia Tesla V100 GPU running in Americas',
      'nvidia-tesla-v100',
    ],
    ['Nvidia Tesla P100 GPU running in EMEA', 'nvidia-tesla-p100'],
    ['Nvidia Tesla P4 GPU running in Montreal', 'nvidia-tesla-p4'],
    ['Nvidia Tesla A100 GPU running in Americas', 'nvidia-tesla-a100'],
    ['Nvidia Tesla A100 80GB GPU running in Netherlands', 'nvidia-a100-80gb'],
    ['Nvidia H100 80GB GPU running in Americas', 'nvidia-h100-80gb'],
    [
      'Nvidia H100 80GB Mega GPU attached to Spot Preemptible VMs running in Tokyo',
      'nvidia-h100-mega-80gb',
    ],
    ['H200 141GB GPU running in Netherlands', 'nvidia-h200-141gb'],
    ['Nvidia B200 GPU running in Americas', 'nvidia-b200'],
  ])('%s → %s', (description, type) => {
    expect(gpuOfDescription(description)?.acceleratorType).toBe(type);
  });

  it.each([
    'Commitment v1: Nvidia L4 GPU running in Americas for 1 Year',
    'Nvidia Tesla T4 GPU attached to Sole Tenancy VMs running in Americas',
    'Nvidia Tesla T4 Virtual Workstation GPU running in Americas',
    'DWS Defined Duration Nvidia H100 80GB GPU running in Americas',
    'RTX 6000 96GB running in Belgium',
    'G2 Instance Core running in Americas',
    'Nvidia L4 GPU',
  ])('names no known GPU in %s', description => {
    expect(gpuOfDescription(description)).toBeUndefined();
  });
});

describe('gpuSkuPrice', () => {
  const l4 = (over: Partial<Parameters<typeof sku>[0]> = {}) =>
    sku({
      skuId: '1D4C-3419-0297',
      description: 'Nvidia L4 GPU running in Virginia',
      regions: ['us-east4'],
      usd: [0.644046],
      ...over,
    });

  it('reads units + nanos of the last tier as the hourly price', () => {
    expect(gpuSkuPrice(l4({ usd: [0, 12.345678901] }))).toEqual({
      skuId: '1D4C-3419-0297',
      description: 'Nvidia L4 GPU running in Virginia',
      gpu: { product: 'L4', acceleratorType: 'nvidia-l4', memoryMiB: 24576 },
      capacityType: 'on-demand',
      regions: ['us-east4'],
      usdPerHour: 12.345678901,
      effectiveTime: '2025-11-30T05:33:11.512Z',
    });
    expect(gpuSkuPrice(l4({ usageType: 'Preemptible' }))?.capacityType).toBe(
      'spot',
    );
  });

  it('skips SKUs that are not GPU prices by the hour on demand or spot', () => {
    expect(gpuSkuPrice(l4({ usageType: 'Commit1Yr' }))).toBeUndefined();
    expect(gpuSkuPrice(l4({ resourceGroup: 'CPU' }))).toBeUndefined();
    expect(gpuSkuPrice(l4({ resourceFamily: 'Storage' }))).toBeUndefined();
  });

  it('names the field of a malformed GPU SKU', () => {
    expect(() => gpuSkuPrice(l4({ regions: [] }))).toThrow(
      "SKU 1D4C-3419-0297 ('Nvidia L4 GPU running in Virginia'): serviceRegions is empty",
    );
    expect(() =>
      gpuSkuPrice({
        ...l4(),
        pricingInfo: [
          {
            pricingExpression: {
              usageUnit: 'h',
              tieredRates: [{ unitPrice: { currencyCode: 'USD', units: 'x' } }],
            },
          },
        ],
      } as any),
    ).toThrow(
      /pricingInfo\[0\]\.pricingExpression\.tieredRates\[0\]\.unitPrice\.units "x" is not a number/,
    );
  });
});

describe('quotesOfGpuSkus', () => {
  const price = (regions: string[], usd: number, usageType = 'OnDemand') =>
    gpuSkuPrice(
      sku({
        skuId: `${regions.join()}-${usageType}`,
        description: 'Nvidia L4 GPU running in Americas',
        regions,
        usd: [usd],
        usageType,
      }),
    )!;

  it('keeps wanted regions, prefers the SKU of fewer regions, and flags placeholders', () => {
    const quotes = quotesOfGpuSkus(
      [
        price(['us-central1', 'us-east4'], 0.6),
        price(['us-central1'], 0.56),
        price(['us-central1', 'us-east4'], 0.7, 'Preemptible'),
        price(['us-east4'], 0, 'Preemptible'),
      ],
      { regions: ['us-central1', 'us-east4'], source: 's', readAt: 'now' },
    );
    expect(
      quotes.map(q => [q.region, q.capacityType, q.usdPerHour, q.flags]),
    ).toEqual([
      ['us-central1', 'on-demand', 0.56, ['gpu-attach-only']],
      ['us-central1', 'spot', 0.7, ['gpu-attach-only', 'spot-above-on-demand']],
      ['us-east4', 'on-demand', 0.6, ['gpu-attach-only']],
      ['us-east4', 'spot', 0, ['gpu-attach-only', 'zero-placeholder']],
    ]);
  });
});
