import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  openMetricsSeries,
  startTestPrometheus,
  TestPrometheus,
} from './__testUtils__/prometheus';
import { PrometheusMetricsSource } from './PrometheusMetricsSource';

jest.setTimeout(60_000);

// Two hours of history, 15 s scrapes, ending well in the past.
const T0 = 1_763_000_000;
const T1 = T0 + 7200;
const every = (
  name: string,
  labels: Record<string, string>,
  value: (t: number) => number,
) => openMetricsSeries(name, labels, T0, T1, 15, value);

const pods = [
  {
    cluster: 'aws',
    namespace: 'search',
    pod: 'llama-0',
    model: 'llama',
    util: 40,
    fb: 20000,
  },
  {
    cluster: 'aws',
    namespace: 'search',
    pod: 'llama-1',
    model: 'llama',
    util: 60,
    fb: 21000,
  },
  {
    cluster: 'gcp',
    namespace: 'search',
    pod: 'llama-gcp-0',
    model: 'llama',
    util: 10,
    fb: 5000,
  },
  {
    cluster: 'aws',
    namespace: 'assistant',
    pod: 'coder-0',
    model: 'coder',
    util: 75,
    fb: 30000,
  },
];

function history(): string {
  const parts: string[] = [];
  const gauge = (name: string) => parts.push(`# TYPE ${name} gauge`);
  gauge('kube_pod_labels');
  for (const p of pods) {
    parts.push(
      every(
        'kube_pod_labels',
        {
          cluster: p.cluster,
          namespace: p.namespace,
          pod: p.pod,
          label_modelfleet_io_model: p.model,
        },
        () => 1,
      ),
    );
  }
  gauge('DCGM_FI_DEV_GPU_UTIL');
  for (const p of pods) {
    parts.push(
      every(
        'DCGM_FI_DEV_GPU_UTIL',
        { cluster: p.cluster, namespace: p.namespace, pod: p.pod, gpu: '0' },
        () => p.util,
      ),
    );
  }
  gauge('DCGM_FI_DEV_FB_USED');
  for (const p of pods) {
    parts.push(
      every(
        'DCGM_FI_DEV_FB_USED',
        { cluster: p.cluster, namespace: p.namespace, pod: p.pod, gpu: '0' },
        () => p.fb,
      ),
    );
  }
  // vLLM counters of the llama pods: 3 requests/s, 300 prompt + 50 generated tokens/s each.
  for (const [name, rate] of [
    ['vllm:request_success_total', 3],
    ['vllm:prompt_tokens_total', 300],
    ['vllm:generation_tokens_total', 50],
  ] as const) {
    gauge(name);
    for (const p of pods.filter(x => x.model === 'llama')) {
      parts.push(
        every(
          name,
          { cluster: p.cluster, namespace: p.namespace, pod: p.pod },
          t => (t - T0) * rate,
        ),
      );
    }
  }
  // TGI counters of the coder pod: 0.5 requests/s, 400 input + 100 generated tokens/s.
  for (const [name, rate] of [
    ['tgi_request_success', 0.5],
    ['tgi_request_input_length_sum', 400],
    ['tgi_request_generated_tokens_sum', 100],
  ] as const) {
    gauge(name);
    parts.push(
      every(
        name,
        { cluster: 'aws', namespace: 'assistant', pod: 'coder-0' },
        t => (t - T0) * rate,
      ),
    );
  }
  return `${parts.join('\n')}\n# EOF\n`;
}

describe('PrometheusMetricsSource against a real Prometheus', () => {
  let prom: TestPrometheus;
  const window = {
    start: new Date((T0 + 1800) * 1000),
    end: new Date((T0 + 3600) * 1000),
    stepSeconds: 300,
  };

  beforeAll(async () => {
    prom = await startTestPrometheus(history());
    // eslint-disable-next-line no-console
    console.log(
      `Real Prometheus for the metrics connector tests: ${prom.version} at ${prom.baseUrl}`,
    );
  });
  afterAll(() => prom?.stop());

  const source = () =>
    new PrometheusMetricsSource({
      baseUrl: prom.baseUrl,
      clusterLabel: 'cluster',
    });
  const values = (series: { points: Array<[number, number]> }[]) =>
    series.flatMap(s => s.points.map(p => p[1]));

  it('averages GPU utilization and sums GPU memory over the model’s pods', async () => {
    const util = await source().query(
      'gpuUtilization',
      { modelId: 'llama', cluster: 'aws' },
      window,
    );
    expect(util).toHaveLength(1);
    expect(util[0].points).toHaveLength(7);
    expect(new Set(values(util))).toEqual(new Set([50]));
    const mem = await source().query(
      'gpuMemoryUsedMiB',
      { modelId: 'llama', cluster: 'aws' },
      window,
    );
    expect(new Set(values(mem))).toEqual(new Set([41000]));
    // Without a cluster, every cluster's pods count.
    const all = await source().query(
      'gpuMemoryUsedMiB',
      { modelId: 'llama' },
      window,
    );
    expect(new Set(values(all))).toEqual(new Set([46000]));
  });

  it('computes vLLM request and token rates, finding the runtime by itself', async () => {
    const rps = await source().query(
      'requestsPerSecond',
      { modelId: 'llama', cluster: 'aws' },
      window,
    );
    expect(rps[0].labels.runtime).toBe('vllm');
    for (const v of values(rps)) expect(v).toBeCloseTo(6, 6);
    const tps = await source().query(
      'tokensPerSecond',
      { modelId: 'llama', cluster: 'aws' },
      window,
    );
    for (const v of values(tps)) expect(v).toBeCloseTo(700, 6);
  });

  it('computes TGI rates for a TGI model, and honours a configured runtime', async () => {
    const rps = await source().query(
      'requestsPerSecond',
      { modelId: 'coder', namespace: 'assistant' },
      window,
    );
    expect(rps[0].labels.runtime).toBe('tgi');
    for (const v of values(rps)) expect(v).toBeCloseTo(0.5, 6);
    const tps = await source().query(
      'tokensPerSecond',
      { modelId: 'coder' },
      window,
    );
    for (const v of values(tps)) expect(v).toBeCloseTo(500, 6);
    const pinned = new PrometheusMetricsSource({
      baseUrl: prom.baseUrl,
      modelRuntimes: { coder: 'vllm' },
    });
    expect(
      await pinned.query('requestsPerSecond', { modelId: 'coder' }, window),
    ).toEqual([]);
  });

  it('answers nothing for a model without series', async () => {
    expect(
      await source().query('gpuUtilization', { modelId: 'nope' }, window),
    ).toEqual([]);
    expect(
      await source().query('requestsPerSecond', { modelId: 'nope' }, window),
    ).toEqual([]);
  });

  it('names the query when PromQL from config is bad', async () => {
    const bad = new PrometheusMetricsSource({
      baseUrl: prom.baseUrl,
      gpuQueries: { utilization: 'avg(DCGM_FI_DEV_GPU_UTIL{${selector}' },
    });
    await expect(
      bad.query('gpuUtilization', { modelId: 'llama' }, window),
    ).rejects.toThrow(
      /prometheus query_range for gpuUtilization of model 'llama' failed: bad_data: .*\(query: avg\(DCGM_FI_DEV_GPU_UTIL\{label_modelfleet_io_model="llama"/,
    );
  });
});

describe('PrometheusMetricsSource error paths', () => {
  const window = {
    start: new Date(0),
    end: new Date(600_000),
    stepSeconds: 60,
  };

  it('says when Prometheus does not answer', async () => {
    const server = http.createServer();
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new Promise(r => server.close(r));
    const source = new PrometheusMetricsSource({
      baseUrl: `http://127.0.0.1:${port}`,
    });
    await expect(
      source.query('gpuUtilization', { modelId: 'x' }, window),
    ).rejects.toThrow(/did not answer \(ECONNREFUSED\)/);
  });

  it.each([
    [
      { status: 'error', errorType: 'timeout', error: 'query timed out' },
      /timeout: query timed out/,
    ],
    [
      { status: 'success', data: { resultType: 'vector', result: [] } },
      /data.resultType is 'vector'/,
    ],
    [
      {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [{ metric: {}, values: [[1, 2]] }],
        },
      },
      /values\[0\] is not \[time, "value"\]/,
    ],
    ['not json', /the body is not JSON/],
  ])('names what is wrong with %j', async (body, message) => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const source = new PrometheusMetricsSource({
        baseUrl: `http://127.0.0.1:${port}`,
      });
      await expect(
        source.query('gpuUtilization', { modelId: 'x' }, window),
      ).rejects.toThrow(message);
    } finally {
      await new Promise(r => server.close(r));
    }
  });

  it('rejects a bad window naming the field, before calling', async () => {
    const source = new PrometheusMetricsSource({
      baseUrl: 'http://127.0.0.1:9',
    });
    await expect(
      source.query(
        'gpuUtilization',
        { modelId: 'x' },
        { ...window, stepSeconds: 0 },
      ),
    ).rejects.toThrow(/window.stepSeconds/);
    await expect(
      source.query(
        'gpuUtilization',
        { modelId: 'x' },
        { ...window, stepSeconds: 0.01 },
      ),
    ).rejects.toThrow(/more than 11000 points/);
  });
});
