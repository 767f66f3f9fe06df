import { ConfigReader } from '@backstage/config';
import { readPrometheusConfig } from './config';
import {
  escapeLabelValue,
  podSelector,
  rateWindow,
  renderQuery,
} from './promql';

describe('PromQL templates', () => {
  it('escapes label values', () => {
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('builds the pod selector of a model', () => {
    expect(
      podSelector({
        modelLabel: 'label_modelfleet_io_model',
        modelId: 'm"1',
        namespace: 'ns',
        clusterLabel: 'cluster',
        cluster: 'c',
      }),
    ).toBe('label_modelfleet_io_model="m\\"1", namespace="ns", cluster="c"');
    expect(podSelector({ modelLabel: 'l', modelId: 'm', cluster: 'c' })).toBe(
      'l="m"',
    );
  });

  it('fills placeholders and names an unknown one', () => {
    expect(
      renderQuery('rate(x{${selector}}[${window}])', {
        selector: 'a="b"',
        window: '60s',
      }),
    ).toBe('rate(x{a="b"}[60s])');
    expect(() =>
      renderQuery('x{${selectr}}', { selector: '', window: '' }),
    ).toThrow(/unknown placeholder \$\{selectr\}/);
  });

  it('uses a rate window of at least a minute', () => {
    expect(rateWindow(15)).toBe('60s');
    expect(rateWindow(300)).toBe('300s');
  });
});

describe('readPrometheusConfig', () => {
  const read = (prometheus: object) =>
    readPrometheusConfig(new ConfigReader({ modelfleet: { prometheus } }));

  it('is off without a baseUrl', () => {
    expect(readPrometheusConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads headers, token, labels, queries and runtimes', () => {
    const o = read({
      baseUrl: 'https://prom.example.com',
      bearerToken: 's3cret',
      headers: { 'X-Scope-OrgID': 'gpu' },
      timeout: 'PT10S',
      clusterLabel: 'cluster',
      runtimeQueries: { vllm: { requestsPerSecond: 'sum(x{${selector}})' } },
      models: { llama: { runtime: 'vllm' } },
    })!;
    expect(o.headers).toEqual({
      'X-Scope-OrgID': 'gpu',
      Authorization: 'Bearer s3cret',
    });
    expect(o.timeoutMs).toBe(10_000);
    expect(o.runtimeQueries!.vllm!.requestsPerSecond).toBe(
      'sum(x{${selector}})',
    );
    expect(o.modelRuntimes).toEqual({ llama: 'vllm' });
  });

  it.each([
    [{ baseUrl: 'not a url' }, 'modelfleet.prometheus.baseUrl'],
    [{ baseUrl: 'ftp://x' }, 'modelfleet.prometheus.baseUrl'],
    [
      { baseUrl: 'http://x', clusterLabel: 'k8s-cluster' },
      'modelfleet.prometheus.clusterLabel',
    ],
    [
      { baseUrl: 'http://x', runtimeQueries: { ollama: {} } },
      'modelfleet.prometheus.runtimeQueries.ollama',
    ],
    [
      { baseUrl: 'http://x', models: { m: { runtime: 'ollama' } } },
      'modelfleet.prometheus.models.m.runtime',
    ],
    [{ baseUrl: 'http://x', timeout: 'soon' }, 'timeout'],
  ])('rejects %j naming %s', (prometheus, key) => {
    expect(() => read(prometheus)).toThrow(key);
  });
});
