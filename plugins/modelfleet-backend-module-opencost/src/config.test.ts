import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import { readOpenCostConfig } from './config';

const read = (opencost: JsonValue) =>
  readOpenCostConfig(new ConfigReader({ modelfleet: { opencost } }));

describe('readOpenCostConfig', () => {
  it('is undefined without a modelfleet.opencost section', () => {
    expect(readOpenCostConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readOpenCostConfig(new ConfigReader({ modelfleet: {} })),
    ).toBeUndefined();
  });

  it('reads one OpenCost as the source opencost', () => {
    expect(
      read({
        baseUrl: 'http://opencost.opencost:9003',
        token: 'tok',
        timeout: 'PT2M',
        aggregate: 'namespace,label:team',
        provider: 'aws',
        cluster: 'prod',
        clusters: { 'cluster-one': { name: 'eks-prod', provider: 'aws' } },
        chunkDays: 3,
        currency: 'USD',
        maxRetries: 2,
      }),
    ).toEqual([
      {
        id: 'opencost',
        baseUrl: 'http://opencost.opencost:9003',
        token: 'tok',
        timeoutMs: 120_000,
        aggregate: 'namespace,label:team',
        provider: 'aws',
        cluster: 'prod',
        clusters: { 'cluster-one': { name: 'eks-prod', provider: 'aws' } },
        chunkDays: 3,
        currency: 'USD',
        retry: { maxRetries: 2 },
      },
    ]);
  });

  it('reads instances as opencost:<name>', () => {
    const options = read({
      instances: [
        { name: 'aws', baseUrl: 'http://a:9003', provider: 'aws' },
        { name: 'gcp', baseUrl: 'http://g:9003', provider: 'gcp' },
      ],
    });
    expect(options?.map(o => [o.id, o.baseUrl, o.provider])).toEqual([
      ['opencost:aws', 'http://a:9003', 'aws'],
      ['opencost:gcp', 'http://g:9003', 'gcp'],
    ]);
  });

  it.each([
    [{}, 'modelfleet.opencost.baseUrl: missing'],
    [
      { baseUrl: 'not a url' },
      "modelfleet.opencost.baseUrl: 'not a url' is not an http(s) URL",
    ],
    [
      { baseUrl: 'http://a:9003', currency: 'EUR' },
      "modelfleet.opencost.currency: OpenCost reports costs in 'EUR'",
    ],
    [
      { baseUrl: 'http://a:9003', aggregate: 'node' },
      "modelfleet.opencost.aggregate: 'node' is not supported",
    ],
    [
      { baseUrl: 'http://a:9003', provider: 'ibm' },
      "modelfleet.opencost.provider: 'ibm' is not one of aws, gcp, azure, other",
    ],
    [
      { baseUrl: 'http://a:9003', clusters: { one: { provider: 'x' } } },
      "modelfleet.opencost.clusters.one.provider: 'x' is not one of",
    ],
    [
      { baseUrl: 'http://a:9003', chunkDays: 0 },
      'modelfleet.opencost.chunkDays: must be a positive integer, got 0',
    ],
    [
      { baseUrl: 'http://a:9003', maxRetries: 50 },
      'modelfleet.opencost.maxRetries: must be an integer from 0 to 10, got 50',
    ],
    [
      {
        baseUrl: 'http://a:9003',
        instances: [{ name: 'a', baseUrl: 'http://a:9003' }],
      },
      'modelfleet.opencost.baseUrl: set it inside each of modelfleet.opencost.instances',
    ],
    [{ instances: [] }, 'modelfleet.opencost.instances: the list is empty'],
    [
      { instances: [{ baseUrl: 'http://a:9003' }] },
      'modelfleet.opencost.instances[0].name: missing',
    ],
    [
      { instances: [{ name: 'a b', baseUrl: 'http://a:9003' }] },
      "modelfleet.opencost.instances[0].name: 'a b' must start with",
    ],
    [
      {
        instances: [
          { name: 'a', baseUrl: 'http://a:9003' },
          { name: 'a', baseUrl: 'http://b:9003' },
        ],
      },
      "modelfleet.opencost.instances[1].name: 'a' is used twice",
    ],
    [
      { instances: [{ name: 'a', baseUrl: 'http://a:9003' }, { name: 'b' }] },
      'modelfleet.opencost.instances[1].baseUrl: missing',
    ],
    [
      { instances: [{ name: 'a', baseUrl: 'http://a:9003', currency: 'GBP' }] },
      "modelfleet.opencost.instances[0].currency: OpenCost reports costs in 'GBP'",
    ],
  ])('rejects %j naming the key', (opencost, message) => {
    expect(() => read(opencost)).toThrow(`Invalid config at ${message}`);
  });

  it('names the key of a value of the wrong type', () => {
    expect(() =>
      read({ baseUrl: 'http://a:9003', chunkDays: 'seven' }),
    ).toThrow('modelfleet.opencost.chunkDays');
  });
});
