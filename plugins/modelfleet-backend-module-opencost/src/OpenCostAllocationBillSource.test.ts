import { BillLine } from '@modelfleet/plugin-modelfleet-node';
import {
  IdleDay,
  PodDay,
  startTestOpenCost,
  TestOpenCost,
} from './__testUtils__/opencost';
import {
  OpenCostAllocationBillSource,
  OpenCostAllocationBillSourceOptions,
} from './OpenCostAllocationBillSource';

const MODEL = 'modelfleet.io/model';

const pods: PodDay[] = [
  // 2025-03-01: two llama replicas on EKS, one on GKE, an unlabelled pod.
  {
    day: '2025-03-01',
    cluster: 'eks-prod',
    namespace: 'search',
    pod: 'llama-0',
    controllerKind: 'deployment',
    controller: 'llama',
    labels: { [MODEL]: 'llama-3-8b', app: 'vllm' },
    cpuCost: 1.2,
    gpuCost: 19.2,
    ramCost: 0.6,
    gpuHours: 24,
  },
  {
    day: '2025-03-01',
    cluster: 'eks-prod',
    namespace: 'search',
    pod: 'llama-1',
    controllerKind: 'deployment',
    controller: 'llama',
    labels: { [MODEL]: 'llama-3-8b', app: 'vllm' },
    cpuCost: 0.6,
    gpuCost: 9.6,
    ramCost: 0.3,
    gpuHours: 12,
  },
  {
    day: '2025-03-01',
    cluster: 'eks-prod',
    namespace: 'infra',
    pod: 'prometheus-0',
    controllerKind: 'statefulset',
    controller: 'prometheus',
    labels: { app: 'prometheus' },
    cpuCost: 0.4,
    gpuCost: 0,
    ramCost: 0.2,
    pvCost: 0.1,
    gpuHours: 0,
  },
  {
    day: '2025-03-01',
    cluster: 'gke-1',
    namespace: 'search',
    pod: 'llama-gcp-0',
    controllerKind: 'deployment',
    controller: 'llama',
    labels: { [MODEL]: 'llama-3-8b' },
    cpuCost: 0.5,
    gpuCost: 16.8,
    ramCost: 0.2,
    gpuHours: 24,
  },
  // 2025-03-02: one llama replica and a coder model, EKS only.
  {
    day: '2025-03-02',
    cluster: 'eks-prod',
    namespace: 'search',
    pod: 'llama-0',
    controllerKind: 'deployment',
    controller: 'llama',
    labels: { [MODEL]: 'llama-3-8b' },
    cpuCost: 1.2,
    gpuCost: 19.2,
    ramCost: 0.6,
    gpuHours: 24,
  },
  {
    day: '2025-03-02',
    cluster: 'eks-prod',
    namespace: 'assistant',
    pod: 'coder-0',
    labels: { [MODEL]: 'qwen-coder' },
    cpuCost: 0.25,
    gpuCost: 4.8,
    ramCost: 0.15,
    networkCost: 0.05,
    gpuHours: 6,
  },
  // 2025-03-03: nothing ran.
];

const idle: IdleDay[] = [
  {
    day: '2025-03-01',
    cluster: 'eks-prod',
    cpuCost: 2,
    gpuCost: 8.4,
    ramCost: 1,
    gpuHours: 12,
  },
  {
    day: '2025-03-01',
    cluster: 'gke-1',
    cpuCost: 0.3,
    gpuCost: 0,
    ramCost: 0.2,
  },
  {
    day: '2025-03-02',
    cluster: 'eks-prod',
    cpuCost: 1.6,
    gpuCost: 15.2,
    ramCost: 0.8,
    gpuHours: 24,
  },
];

async function collect(
  source: OpenCostAllocationBillSource,
  start: string,
  end: string,
): Promise<BillLine[]> {
  const lines: BillLine[] = [];
  for await (const l of source.fetchLines({
    start: new Date(start),
    end: new Date(end),
  })) {
    lines.push(l);
  }
  return lines;
}

function line(
  account: string,
  provider: BillLine['provider'],
  day: string,
  nextDay: string,
  resourceId: string,
  tags: Record<string, string>,
  costUsd: number,
  gpuHours: number,
): BillLine {
  return {
    source: 'opencost',
    provider,
    account,
    periodStart: `${day}T00:00:00Z`,
    periodEnd: `${nextDay}T00:00:00Z`,
    resourceId,
    tags,
    costUsd,
    usage: { quantity: gpuHours, unit: 'gpu-hours' },
  };
}

describe('OpenCostAllocationBillSource', () => {
  let opencost: TestOpenCost;
  const make = (o: Partial<OpenCostAllocationBillSourceOptions> = {}) =>
    new OpenCostAllocationBillSource({
      baseUrl: opencost.url,
      clusters: {
        'eks-prod': { provider: 'aws' },
        'gke-1': { provider: 'gcp', name: 'gke-prod' },
      },
      retry: { initialDelayMs: 1 },
      ...o,
    });

  beforeEach(async () => {
    opencost = await startTestOpenCost({ pods, idle, prefix: '/model' });
  });
  afterEach(() => opencost.close());

  it('yields one line per cluster, day and model, idle and unallocated included', async () => {
    const lines = await collect(
      make(),
      '2025-03-01T00:00:00Z',
      '2025-03-04T00:00:00Z',
    );
    const m = (v: string, ns: string) => ({ [MODEL]: v, namespace: ns });
    expect(lines).toEqual([
      line(
        'eks-prod',
        'aws',
        '2025-03-01',
        '2025-03-02',
        '__idle__',
        {},
        11.4,
        12,
      ),
      line(
        'eks-prod',
        'aws',
        '2025-03-01',
        '2025-03-02',
        '__unallocated__',
        { namespace: 'infra' },
        0.7,
        0,
      ),
      line(
        'eks-prod',
        'aws',
        '2025-03-01',
        '2025-03-02',
        'llama-3-8b',
        m('llama-3-8b', 'search'),
        31.5,
        36,
      ),
      line(
        'gke-prod',
        'gcp',
        '2025-03-01',
        '2025-03-02',
        '__idle__',
        {},
        0.5,
        0,
      ),
      line(
        'gke-prod',
        'gcp',
        '2025-03-01',
        '2025-03-02',
        'llama-3-8b',
        m('llama-3-8b', 'search'),
        17.5,
        24,
      ),
      line(
        'eks-prod',
        'aws',
        '2025-03-02',
        '2025-03-03',
        '__idle__',
        {},
        17.6,
        24,
      ),
      line(
        'eks-prod',
        'aws',
        '2025-03-02',
        '2025-03-03',
        'llama-3-8b',
        m('llama-3-8b', 'search'),
        21,
        24,
      ),
      line(
        'eks-prod',
        'aws',
        '2025-03-02',
        '2025-03-03',
        'qwen-coder',
        m('qwen-coder', 'assistant'),
        5.25,
        6,
      ),
    ]);

    expect(opencost.requests).toHaveLength(1);
    const [req] = opencost.requests;
    expect(req.path).toBe('/model/allocation');
    expect(Object.fromEntries(req.params)).toEqual({
      window: '2025-03-01T00:00:00Z,2025-03-04T00:00:00Z',
      aggregate: 'cluster,label:modelfleet.io/model',
      step: '1d',
      accumulate: 'false',
      includeIdle: 'true',
      shareIdle: 'false',
    });
    expect(req.headers.authorization).toBeUndefined();
  });

  it('queries long windows in chunks of at most chunkDays days', async () => {
    const days = Array.from({ length: 10 }, (_, i) =>
      new Date(Date.UTC(2025, 3, 1 + i)).toISOString().slice(0, 10),
    );
    await opencost.close();
    opencost = await startTestOpenCost({
      pods: days.map((day, i) => ({
        day,
        cluster: 'eks-prod',
        namespace: 'search',
        pod: 'llama-0',
        labels: { [MODEL]: 'llama-3-8b' },
        cpuCost: 0,
        gpuCost: i + 1,
        ramCost: 0.5,
        gpuHours: 24,
      })),
    });

    const lines = await collect(
      make({ chunkDays: 4 }),
      '2025-04-01T00:00:00Z',
      '2025-04-11T00:00:00Z',
    );

    expect(opencost.requests.map(r => r.params.get('window'))).toEqual([
      '2025-04-01T00:00:00Z,2025-04-05T00:00:00Z',
      '2025-04-05T00:00:00Z,2025-04-09T00:00:00Z',
      '2025-04-09T00:00:00Z,2025-04-11T00:00:00Z',
    ]);
    expect(lines.map(l => [l.periodStart.slice(0, 10), l.costUsd])).toEqual(
      days.map((day, i) => [day, i + 1.5]),
    );
  });

  it('widens a window to whole UTC days', async () => {
    const lines = await collect(
      make(),
      '2025-03-01T06:00:00Z',
      '2025-03-02T12:30:00Z',
    );
    expect(opencost.requests[0].params.get('window')).toBe(
      '2025-03-01T00:00:00Z,2025-03-03T00:00:00Z',
    );
    expect(new Set(lines.map(l => l.periodStart))).toEqual(
      new Set(['2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z']),
    );
  });

  it('asks for nothing when the window is empty', async () => {
    const lines = await collect(
      make(),
      '2025-03-02T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(lines).toEqual([]);
    expect(opencost.requests).toHaveLength(0);
  });

  it('groups by namespace, controller or pod and tags accordingly', async () => {
    const byNamespace = await collect(
      make({ aggregate: 'namespace' }),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(opencost.requests[0].params.get('aggregate')).toBe(
      'cluster,namespace',
    );
    expect(
      byNamespace.map(l => [l.account, l.resourceId, l.tags, l.costUsd]),
    ).toEqual([
      ['eks-prod', '__idle__', {}, 11.4],
      ['eks-prod', 'infra', { namespace: 'infra' }, 0.7],
      ['eks-prod', 'search', { namespace: 'search' }, 31.5],
      ['gke-prod', '__idle__', {}, 0.5],
      ['gke-prod', 'search', { namespace: 'search' }, 17.5],
    ]);

    const byController = await collect(
      make({ aggregate: 'namespace,controller' }),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(
      byController
        .filter(l => l.account === 'eks-prod')
        .map(l => [l.resourceId, l.tags]),
    ).toEqual([
      ['__idle__', {}],
      [
        'infra/statefulset:prometheus',
        { namespace: 'infra', controller: 'statefulset:prometheus' },
      ],
      [
        'search/deployment:llama',
        { namespace: 'search', controller: 'deployment:llama' },
      ],
    ]);

    const byPod = await collect(
      make({ aggregate: 'pod' }),
      '2025-03-02T00:00:00Z',
      '2025-03-03T00:00:00Z',
    );
    expect(byPod.map(l => [l.resourceId, l.tags, l.costUsd])).toEqual([
      ['__idle__', {}, 17.6],
      ['coder-0', { pod: 'coder-0', namespace: 'assistant' }, 5.25],
      ['llama-0', { pod: 'llama-0', namespace: 'search' }, 21],
    ]);
  });

  it('uses the configured provider and cluster name when no mapping applies', async () => {
    const lines = await collect(
      make({ clusters: {}, provider: 'azure' }),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(new Set(lines.map(l => `${l.provider} ${l.account}`))).toEqual(
      new Set(['azure eks-prod', 'azure gke-1']),
    );
    const other = await collect(
      make({ clusters: undefined }),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(new Set(other.map(l => l.provider))).toEqual(new Set(['other']));
  });

  it('sends the bearer token', async () => {
    await collect(
      make({ token: 's3cret' }),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(opencost.requests[0].headers.authorization).toBe('Bearer s3cret');
  });

  it('reads a response as documented, with the source id of an instance', async () => {
    opencost.enqueue({
      status: 200,
      body: {
        code: 200,
        status: 'success',
        data: [
          {
            'cluster-one/llama-3-8b': {
              name: 'cluster-one/llama-3-8b',
              properties: {
                cluster: 'cluster-one',
                namespace: 'search',
                labels: { modelfleet_io_model: 'llama-3-8b' },
              },
              window: {
                start: '2025-03-01T00:00:00Z',
                end: '2025-03-02T00:00:00Z',
              },
              start: '2025-03-01T02:15:00Z',
              end: '2025-03-02T00:00:00Z',
              minutes: 1305,
              cpuCores: 4,
              cpuCoreHours: 87,
              cpuCost: 2.175,
              gpuCount: 1,
              gpuHours: 21.75,
              gpuCost: 17.4,
              ramCost: 0.54375,
              pvCost: 0,
              networkCost: 0,
              loadBalancerCost: 0,
              sharedCost: 0,
              externalCost: 0,
              totalCost: 20.11875,
              totalEfficiency: 0.61,
            },
            'cluster-one/__idle__': {
              name: 'cluster-one/__idle__',
              properties: { cluster: 'cluster-one' },
              window: {
                start: '2025-03-01T00:00:00Z',
                end: '2025-03-02T00:00:00Z',
              },
              start: '2025-03-01T00:00:00Z',
              end: '2025-03-02T00:00:00Z',
              cpuCost: 3.1,
              gpuHours: 2.25,
              gpuCost: 1.8,
              ramCost: 1.2,
              totalCost: 6.1,
            },
          },
        ],
      },
    });
    const lines = await collect(
      make({ id: 'opencost:prod', clusters: {} }),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(lines).toEqual([
      {
        source: 'opencost:prod',
        provider: 'other',
        account: 'cluster-one',
        periodStart: '2025-03-01T00:00:00Z',
        periodEnd: '2025-03-02T00:00:00Z',
        resourceId: '__idle__',
        tags: {},
        costUsd: 6.1,
        usage: { quantity: 2.25, unit: 'gpu-hours' },
      },
      {
        source: 'opencost:prod',
        provider: 'other',
        account: 'cluster-one',
        periodStart: '2025-03-01T00:00:00Z',
        periodEnd: '2025-03-02T00:00:00Z',
        resourceId: 'llama-3-8b',
        tags: { [MODEL]: 'llama-3-8b', namespace: 'search' },
        costUsd: 20.11875,
        usage: { quantity: 21.75, unit: 'gpu-hours' },
      },
    ]);
  });

  it('sums idle of several nodes into one line per cluster and day', async () => {
    const entry = (name: string, node: string, cost: number) => ({
      name,
      properties: { cluster: 'eks-prod', node },
      window: { start: '2025-03-01T00:00:00Z', end: '2025-03-02T00:00:00Z' },
      gpuHours: 1,
      totalCost: cost,
    });
    opencost.enqueue({
      status: 200,
      body: {
        code: 200,
        status: 'success',
        data: [
          {
            'eks-prod/node-a/__idle__': entry(
              'eks-prod/node-a/__idle__',
              'node-a',
              1.25,
            ),
            'eks-prod/node-b/__idle__': entry(
              'eks-prod/node-b/__idle__',
              'node-b',
              2.5,
            ),
          },
        ],
      },
    });
    const lines = await collect(
      make(),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(lines.map(l => [l.resourceId, l.costUsd, l.usage])).toEqual([
      ['__idle__', 3.75, { quantity: 2, unit: 'gpu-hours' }],
    ]);
  });

  it('drops sets OpenCost returns for days outside the asked window', async () => {
    const entry = (day: string, next: string, cost: number) => ({
      'eks-prod/llama-3-8b': {
        name: 'eks-prod/llama-3-8b',
        properties: { cluster: 'eks-prod' },
        window: { start: `${day}T00:00:00Z`, end: `${next}T00:00:00Z` },
        gpuHours: 24,
        totalCost: cost,
      },
    });
    opencost.enqueue({
      status: 200,
      body: {
        code: 200,
        status: 'success',
        data: [
          entry('2025-02-28', '2025-03-01', 9),
          entry('2025-03-01', '2025-03-02', 4),
          entry('2025-03-02', '2025-03-03', 7),
        ],
      },
    });
    const lines = await collect(
      make(),
      '2025-03-01T00:00:00Z',
      '2025-03-02T00:00:00Z',
    );
    expect(lines.map(l => [l.periodStart, l.costUsd])).toEqual([
      ['2025-03-01T00:00:00Z', 4],
    ]);
  });

  describe('throttling', () => {
    it('retries 503 and 429 and then reads the answer', async () => {
      opencost.enqueue(
        { status: 503, body: 'Service Unavailable' },
        {
          status: 429,
          body: 'Too Many Requests',
          headers: { 'retry-after': '0' },
        },
      );
      const lines = await collect(
        make(),
        '2025-03-02T00:00:00Z',
        '2025-03-03T00:00:00Z',
      );
      expect(opencost.requests).toHaveLength(3);
      expect(lines.map(l => l.resourceId)).toEqual([
        '__idle__',
        'llama-3-8b',
        'qwen-coder',
      ]);
    });

    it('backs off exponentially', async () => {
      opencost.enqueue(
        { status: 503, body: 'busy' },
        { status: 503, body: 'busy' },
      );
      const t0 = Date.now();
      await collect(
        make({ retry: { initialDelayMs: 60 } }),
        '2025-03-02T00:00:00Z',
        '2025-03-03T00:00:00Z',
      );
      // 60 ms, then 120 ms.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(170);
      expect(opencost.requests).toHaveLength(3);
    });

    it('follows Retry-After instead of its own backoff', async () => {
      opencost.enqueue({
        status: 429,
        body: 'slow down',
        headers: { 'retry-after': '0' },
      });
      const t0 = Date.now();
      await collect(
        make({ retry: { initialDelayMs: 5000 } }),
        '2025-03-02T00:00:00Z',
        '2025-03-03T00:00:00Z',
      );
      expect(Date.now() - t0).toBeLessThan(2000);
    });

    it('gives up after maxRetries with a clear error', async () => {
      const busy = {
        status: 503,
        body: {
          code: 503,
          status: 'error',
          message: 'cost model is warming up',
        },
      };
      opencost.enqueue(busy, busy, busy, busy);
      await expect(
        collect(
          make({ retry: { maxRetries: 2, initialDelayMs: 1 } }),
          '2025-03-02T00:00:00Z',
          '2025-03-03T00:00:00Z',
        ),
      ).rejects.toThrow(
        'opencost /allocation for 2025-03-02T00:00:00Z,2025-03-03T00:00:00Z failed: OpenCost is overloaded or throttling (HTTP 503 on all 3 attempts): cost model is warming up',
      );
      expect(opencost.requests).toHaveLength(3);
    });
  });

  describe('errors', () => {
    const win = ['2025-03-01T00:00:00Z', '2025-03-02T00:00:00Z'] as const;
    const fetchDay = (o: Partial<OpenCostAllocationBillSourceOptions> = {}) =>
      collect(make(o), ...win);
    const withEntry = (entry: object) => ({
      status: 200,
      body: {
        code: 200,
        status: 'success',
        data: [{ 'eks-prod/llama': entry }],
      },
    });
    const good = {
      name: 'eks-prod/llama',
      properties: { cluster: 'eks-prod' },
      window: { start: '2025-03-01T00:00:00Z', end: '2025-03-02T00:00:00Z' },
      totalCost: 1,
    };

    it('reports an HTTP error with OpenCost message', async () => {
      opencost.enqueue({
        status: 400,
        body: "Invalid 'aggregate' parameter: invalid allocation property: foo",
      });
      await expect(fetchDay()).rejects.toThrow(
        "failed: HTTP 400: Invalid 'aggregate' parameter: invalid allocation property: foo",
      );
    });

    it('reports a code other than 200 in the body', async () => {
      opencost.enqueue({
        status: 200,
        body: {
          code: 500,
          status: 'error',
          message: 'error querying prometheus: context deadline exceeded',
          data: null,
        },
      });
      await expect(fetchDay()).rejects.toThrow(
        'OpenCost answered code 500: error querying prometheus: context deadline exceeded',
      );
    });

    it('names a missing window and the allocation', async () => {
      const { window: _, ...noWindow } = good;
      opencost.enqueue(withEntry(noWindow));
      await expect(fetchDay()).rejects.toThrow(
        "allocation 'eks-prod/llama' in set 0: window is missing or not an object (got nothing)",
      );
    });

    it('names OpenCost\'s quoted "null" window start', async () => {
      opencost.enqueue(
        withEntry({ ...good, window: { start: 'null', end: 'null' } }),
      );
      await expect(fetchDay()).rejects.toThrow(
        `allocation 'eks-prod/llama' in set 0: window.start is not a date (got "null")`,
      );
    });

    it('names a totalCost that is not a number', async () => {
      opencost.enqueue(withEntry({ ...good, totalCost: null }));
      await expect(fetchDay()).rejects.toThrow(
        "allocation 'eks-prod/llama' in set 0: totalCost is not a number (got null)",
      );
    });

    it('names a gpuHours that is not a number', async () => {
      opencost.enqueue(withEntry({ ...good, gpuHours: '24' }));
      await expect(fetchDay()).rejects.toThrow(
        `gpuHours is not a number (got "24")`,
      );
    });

    it('rejects a step that is not one UTC day', async () => {
      opencost.enqueue(
        withEntry({
          ...good,
          window: {
            start: '2025-03-01T00:00:00Z',
            end: '2025-03-03T00:00:00Z',
          },
        }),
      );
      await expect(fetchDay()).rejects.toThrow(/is not one UTC day/);
    });

    it('rejects data that is not a list of sets', async () => {
      opencost.enqueue({
        status: 200,
        body: { code: 200, status: 'success', data: null },
      });
      await expect(fetchDay()).rejects.toThrow(
        'data is not an array of allocation sets (got null)',
      );
    });

    it('rejects a body that is not JSON', async () => {
      opencost.enqueue({ status: 200, body: '<html>login</html>' });
      await expect(fetchDay()).rejects.toThrow(
        'HTTP 200, the body is not JSON: <html>login</html>',
      );
    });

    it('asks for the cluster when an allocation names none', async () => {
      opencost.enqueue(withEntry({ ...good, name: 'llama', properties: {} }));
      await expect(fetchDay()).rejects.toThrow(
        "allocation 'llama' names no cluster (properties.cluster is empty); set 'cluster' in the config of opencost",
      );
      opencost.enqueue(withEntry({ ...good, name: 'llama', properties: {} }));
      const lines = await fetchDay({ cluster: 'prod' });
      expect(lines.map(l => [l.account, l.resourceId])).toEqual([
        ['prod', 'llama'],
      ]);
    });

    it('keeps the lines of chunks read before the failing one', async () => {
      const source = make({ chunkDays: 1 });
      const lines: BillLine[] = [];
      opencost.enqueue(withEntry(good), withEntry({ ...good, totalCost: 'x' }));
      await expect(async () => {
        for await (const l of source.fetchLines({
          start: new Date('2025-03-01T00:00:00Z'),
          end: new Date('2025-03-03T00:00:00Z'),
        })) {
          lines.push(l);
        }
      }).rejects.toThrow(
        "opencost /allocation for 2025-03-02T00:00:00Z,2025-03-03T00:00:00Z failed: allocation 'eks-prod/llama' in set 0: totalCost is not a number",
      );
      expect(lines.map(l => l.periodStart)).toEqual(['2025-03-01T00:00:00Z']);
    });

    it('times out', async () => {
      opencost.enqueue({
        status: 200,
        body: { code: 200, status: 'success', data: [] },
        delayMs: 1000,
      });
      await expect(fetchDay({ timeoutMs: 100 })).rejects.toThrow(
        'did not answer (no answer within 0.1 s)',
      );
    });

    it('reports an OpenCost that is not there', async () => {
      const url = opencost.url;
      await opencost.close();
      await expect(collect(make({ baseUrl: url }), ...win)).rejects.toThrow(
        'did not answer (ECONNREFUSED)',
      );
      opencost = await startTestOpenCost({});
    });
  });

  describe('options', () => {
    const base = { baseUrl: 'http://127.0.0.1:9003' };
    it('rejects a currency other than USD', () => {
      expect(
        () => new OpenCostAllocationBillSource({ ...base, currency: 'EUR' }),
      ).toThrow(
        "currency: OpenCost reports costs in 'EUR', but bill lines are in US dollars",
      );
      expect(
        new OpenCostAllocationBillSource({ ...base, currency: 'usd' }).id,
      ).toBe('opencost');
    });

    it('rejects bad aggregates, chunk sizes, providers and URLs', () => {
      const bad = (o: Partial<OpenCostAllocationBillSourceOptions>) => () =>
        new OpenCostAllocationBillSource({ ...base, ...o });
      expect(bad({ aggregate: 'node' })).toThrow(
        "aggregate: 'node' is not supported",
      );
      expect(bad({ aggregate: 'cluster,namespace' })).toThrow(
        "aggregate: 'cluster' is always part of the query",
      );
      expect(bad({ aggregate: 'label:not a label' })).toThrow(
        "aggregate: 'not a label' is not a Kubernetes label key",
      );
      expect(bad({ chunkDays: 0 })).toThrow('chunkDays: must be a positive');
      expect(bad({ chunkDays: 1.5 })).toThrow('chunkDays: must be a positive');
      expect(bad({ provider: 'ibm' as any })).toThrow(
        "provider: 'ibm' is not one of aws, gcp, azure, other",
      );
      expect(bad({ clusters: { one: { provider: 'oracle' as any } } })).toThrow(
        "clusters.one.provider: 'oracle' is not one of",
      );
      expect(bad({ baseUrl: 'opencost:9003' })).toThrow(
        "baseUrl: 'opencost:9003' is not an http(s) URL",
      );
      expect(bad({ retry: { maxRetries: -1 } })).toThrow('maxRetries');
    });
  });
});
