/**
 * `PriceList` entries shaped like the Price List Query API's (`aws_v1`):
 * product attributes as the EC2 offer file has them, and one on-demand term
 * with one hourly price dimension.
 */
export interface PriceListFixture {
  sku: string;
  instanceType: string;
  regionCode: string;
  location: string;
  vcpu: string;
  memory: string;
  gpu: string;
  gpuMemory: string;
  /** `pricePerUnit.USD`; undefined leaves the term out. */
  usd?: string;
  marketoption?: string;
  publicationDate?: string;
}

const USAGE_PREFIX: Record<string, string> = {
  'us-east-1': '',
  'us-west-2': 'USW2-',
  'eu-west-1': 'EU-',
};

export function priceListItem(f: PriceListFixture): string {
  const offer = `${f.sku}.JRTCKXETXF`;
  const rate = `${offer}.6YS6EN2CT7`;
  return JSON.stringify({
    product: {
      productFamily: 'Compute Instance',
      attributes: {
        enhancedNetworkingSupported: 'Yes',
        intelTurboAvailable: 'No',
        memory: f.memory,
        dedicatedEbsThroughput: 'Up to 3500 Mbps',
        vcpu: f.vcpu,
        classicnetworkingsupport: 'false',
        capacitystatus: 'Used',
        locationType: 'AWS Region',
        storage: '1 x 250 NVMe SSD',
        instanceFamily: 'GPU instance',
        operatingSystem: 'Linux',
        intelAvx2Available: 'No',
        regionCode: f.regionCode,
        physicalProcessor: 'AMD EPYC 7R32',
        clockSpeed: '3.3 GHz',
        ecu: 'NA',
        networkPerformance: 'Up to 10 Gigabit',
        servicename: 'Amazon Elastic Compute Cloud',
        gpuMemory: f.gpuMemory,
        vpcnetworkingsupport: 'true',
        instanceType: f.instanceType,
        tenancy: 'Shared',
        usagetype: `${USAGE_PREFIX[f.regionCode] ?? ''}BoxUsage:${
          f.instanceType
        }`,
        normalizationSizeFactor: '8',
        intelAvxAvailable: 'No',
        processorFeatures: 'AMD Turbo',
        servicecode: 'AmazonEC2',
        licenseModel: 'No License required',
        currentGeneration: 'Yes',
        preInstalledSw: 'NA',
        location: f.location,
        processorArchitecture: '64-bit',
        marketoption: f.marketoption ?? 'OnDemand',
        operation: 'RunInstances',
        availabilityzone: 'NA',
        gpu: f.gpu,
      },
      sku: f.sku,
    },
    serviceCode: 'AmazonEC2',
    terms:
      f.usd === undefined
        ? {}
        : {
            OnDemand: {
              [offer]: {
                priceDimensions: {
                  [rate]: {
                    unit: 'Hrs',
                    endRange: 'Inf',
                    description: `$${f.usd} per On Demand Linux ${f.instanceType} Instance Hour`,
                    appliesTo: [],
                    rateCode: rate,
                    beginRange: '0',
                    pricePerUnit: { USD: f.usd },
                  },
                },
                sku: f.sku,
                effectiveDate: '2025-11-01T00:00:00Z',
                offerTermCode: 'JRTCKXETXF',
                termAttributes: {},
              },
            },
          },
    version: '20251120183011',
    publicationDate: f.publicationDate ?? '2025-11-20T18:30:11Z',
  });
}

const VA = { regionCode: 'us-east-1', location: 'US East (N. Virginia)' };

/** Real us-east-1 on-demand list prices (Nov 2025). */
export const G5_XLARGE = priceListItem({
  ...VA,
  sku: 'H7NFUF3NB9TU5RK9',
  instanceType: 'g5.xlarge',
  vcpu: '4',
  memory: '16 GiB',
  gpu: '1',
  gpuMemory: '24 GiB',
  usd: '1.0060000000',
});
export const G5_12XLARGE = priceListItem({
  ...VA,
  sku: 'ZGGSNB5EVTA5YN3E',
  instanceType: 'g5.12xlarge',
  vcpu: '48',
  memory: '192 GiB',
  gpu: '4',
  gpuMemory: '96 GiB',
  usd: '5.6720000000',
});
export const G5_48XLARGE = priceListItem({
  ...VA,
  sku: 'Q3AE6PBFAVVK5B5H',
  instanceType: 'g5.48xlarge',
  vcpu: '192',
  memory: '768 GiB',
  gpu: '8',
  gpuMemory: '192 GiB',
  usd: '16.2880000000',
});
export const G6_XLARGE = priceListItem({
  ...VA,
  sku: 'SCXNWMD4AQ4SEP3W',
  instanceType: 'g6.xlarge',
  vcpu: '4',
  memory: '16 GiB',
  gpu: '1',
  gpuMemory: '24 GiB',
  usd: '0.8048000000',
});
export const P5_48XLARGE_WEST = priceListItem({
  regionCode: 'us-west-2',
  location: 'US West (Oregon)',
  sku: 'WJWUYBH4DPJ5VQ5C',
  instanceType: 'p5.48xlarge',
  vcpu: '192',
  memory: '2048 GiB',
  gpu: '8',
  gpuMemory: '640 GB',
  usd: '55.0400000000',
});
