import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  GpuPoolObservation,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import { modelfleetConnectorsExtensionPoint } from '@modelfleet/plugin-modelfleet-node';
import request from 'supertest';
import { modelfleetPlugin } from '../plugin';
import { parsePlacementRequest } from './parseRequest';
import { poolScheduling } from './scheduling';

jest.setTimeout(60_000);

const GIB = 1024;
const pools: GpuPoolObservation[] = [
  {
    cluster: 'prod-use1',
    name: 'l4-spot',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a'],
    instanceType: 'g6.xlarge',
    capacityType: 'spot',
    gpu: { product: 'L4', memoryMiB: 23034, perNode: 1, sharing: 'whole' },
    nodes: { current: 2, min: 0, max: 8 },
    gpus: { allocatable: 2, allocated: 2 },
  },
  {
    cluster: 'prod-use1',
    name: 'l4-od',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a'],
    instanceType: 'g6.xlarge',
    capacityType: 'on-demand',
    gpu: { product: 'L4', memoryMiB: 23034, perNode: 1, sharing: 'whole' },
    nodes: { current: 1, min: 0, max: 4 },
    gpus: { allocatable: 1, allocated: 1 },
  },
  {
    cluster: 'prod-use1',
    name: 'a100-od',
    provider: 'aws',
    region: 'us-east-1',
    zones: ['us-east-1a'],
    instanceType: 'p4de.24xlarge',
    capacityType: 'on-demand',
    gpu: {
      product: 'A100-80GB',
      memoryMiB: 81920,
      perNode: 8,
      sharing: 'whole',
    },
    nodes: { current: 1, min: 0, max: 2 },
    gpus: { allocatable: 8, allocated: 6 },
  },
  {
    cluster: 'prod-eus',
    name: 't4-full',
    provider: 'azure',
    region: 'eastus',
    zones: ['eastus-1'],
    instanceType: 'Standard_NC4as_T4_v3',
    capacityType: 'on-demand',
    gpu: { product: 'T4', memoryMiB: 15360, perNode: 1, sharing: 'whole' },
    nodes: { current: 3, min: 3, max: 3 },
    gpus: { allocatable: 3, allocated: 3 },
  },
];

const fleetModule = createBackendModule({
  pluginId: 'modelfleet',
  moduleId: 'test-fleet',
  register(reg) {
    reg.registerInit({
      deps: { connectors: modelfleetConnectorsExtensionPoint },
      async init({ connectors }) {
        connectors.addClusterConnector({
          id: 'test-fleet',
          async listClusters() {
            return [
              { name: 'prod-use1', provider: 'aws', region: 'us-east-1' },
              { name: 'prod-eus', provider: 'azure', region: 'eastus' },
            ];
          },
          async snapshot(cluster) {
            return {
              cluster: {
                name: cluster,
                provider: cluster === 'prod-use1' ? 'aws' : 'azure',
              },
              observedAt: new Date().toISOString(),
              pools: pools.filter(p => p.cluster === cluster),
              workloads: [],
            };
          },
        });
      },
    });
  },
});

async function startFleet(config: object = {}) {
  const scheduled: Array<{ id: string; fn: Function }> = [];
  const scheduler = mockServices.scheduler.mock({
    async scheduleTask(task) {
      scheduled.push(task as any);
    },
  });
  const { server } = await startTestBackend({
    features: [
      modelfleetPlugin,
      fleetModule,
      scheduler.factory,
      catalogServiceMock.factory({
        entities: ['speech-team', 'vision-team'].map(name => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name, namespace: 'default' },
          spec: { type: 'team', children: [] },
        })),
      }),
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  for (const id of ['modelfleet-price-refresh', 'modelfleet-cluster-sync']) {
    await scheduled.find(t => t.id === id)!.fn(new AbortController().signal);
  }
  const place = (body: object) =>
    request(server)
      .post('/api/modelfleet/placement')
      .set('Authorization', mockCredentials.user.header())
      .send(body);
  return { server, place };
}

describe('POST /placement', () => {
  it('ranks the pools that fit by monthly cost and gives every other pool its reason', async () => {
    const { place } = await startFleet();
    const res = await place({
      name: 'mistral-7b-chat',
      parametersBillions: 7,
      precision: 'bf16',
      replicas: { min: 1, max: 3 },
      spot: 'allow',
    });
    expect(res.status).toBe(200);
    const body: PlacementResponse = res.body;
    // Each option says how its pool shares GPUs (the sleep tier needs time-slicing).
    for (const o of body.options) {
      const observed = pools.find(p => o.ref.endsWith(`.${p.name}`))!;
      expect([o.ref, o.gpu.sharing]).toEqual([o.ref, observed.gpu.sharing]);
    }
    // 7e9 × 2 bytes = 13.04 GiB, +20 % KV cache, +1 GiB runtime.
    expect(body.memory).toEqual({
      weightsGiB: 13.04,
      kvCacheGiB: 2.61,
      runtimeOverheadGiB: 1,
      totalGiB: 16.65,
    });
    expect(body.request.memoryMiB).toBe(Math.ceil(16.65 * 1024));
    // The A100 node has 2 free GPUs: already paid for, so adding costs $0.
    // The L4 pools have to add a node each; spot is cheaper than on-demand.
    expect(body.options.map(o => [o.rank, o.ref, o.monthlyUsd])).toEqual([
      [1, 'gpupool:default/prod-use1.a100-od', 0],
      [2, 'gpupool:default/prod-use1.l4-spot', expect.any(Number)],
      [3, 'gpupool:default/prod-use1.l4-od', 587.5],
    ]);
    const spot = body.options[1];
    expect(spot.monthlyUsd).toBeLessThan(body.options[2].monthlyUsd);
    expect(spot.priceSource).toMatch(/^bundled-catalog/);
    expect(spot.capacity).toEqual({
      freeUnits: 0,
      addableNodes: 6,
      source: '2 of at most 8 nodes running, from the cluster',
    });
    expect(spot.scheduling).toEqual({
      nodeSelector: { 'eks.amazonaws.com/nodegroup': 'l4-spot' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
      gpuResource: 'nvidia.com/gpu',
    });
    // Three replicas on the A100 pool: 2 free GPUs, then a whole p4de node.
    expect(body.options[0].monthlyUsdAtMax).toBeGreaterThan(10000);
    expect(body.excluded).toEqual([
      expect.objectContaining({
        ref: 'gpupool:default/prod-eus.t4-full',
        code: 'gpu-memory',
        reason: '1 × 15 GiB of GPU memory per replica, 17 GiB needed',
      }),
    ]);
    expect(body.recommended).toBe('gpupool:default/prod-use1.a100-od');
    expect(body.blocking).toEqual([]);
    expect(body.method).toBe('exact');
  });

  it('applies the owner team policy: spot forbidden, GPU types, budget', async () => {
    const { place } = await startFleet({
      modelfleet: {
        policies: {
          defaults: { allowedGpuTypes: ['L4', 'T4'] },
          teams: { 'speech-team': { spot: 'forbid' } },
        },
      },
    });
    const res = await place({
      name: 'whisper',
      owner: 'group:default/speech-team',
      memoryMiB: 10 * GIB,
      replicas: { min: 2, max: 2 },
      monthlyBudgetUsd: 1000,
    });
    expect(res.status).toBe(200);
    const body: PlacementResponse = res.body;
    expect(body.policy).toMatchObject({
      team: 'group:default/speech-team',
      spot: 'forbid',
      allowedGpuTypes: ['L4', 'T4'],
    });
    expect(body.options).toEqual([]);
    const reasons = Object.fromEntries(
      body.excluded.map(e => [e.ref.split('/')[1], [e.code, e.reason]]),
    );
    expect(reasons).toEqual({
      'prod-use1.a100-od': [
        'gpu-type',
        'GPU A100-80GB is not allowed (allowed: L4, T4)',
      ],
      'prod-use1.l4-spot': [
        'spot-forbidden',
        'spot capacity is forbidden for this model',
      ],
      'prod-use1.l4-od': [
        'budget',
        "$1,175.01 a month, over the model's budget (monthlyBudgetUsd) of $1,000.00",
      ],
      'prod-eus.t4-full': [
        'no-capacity',
        'no free GPU units and no node can be added (3 of at most 3 nodes running, from the cluster)',
      ],
    });
    expect(body.blocking).toEqual([
      'No GPU pool can take 2 replica(s) of whisper under the request and policy (4 pools excluded: budget, gpu-type, no-capacity, spot-forbidden)',
      // The one pool that fits is over the model's budget: the field to change.
      "monthlyBudgetUsd: the model's budget of $1,000.00 a month is less than the $1,175.01 the cheapest pool that fits charges",
    ]);

    const picked = await place({
      name: 'whisper',
      owner: 'speech-team',
      memoryMiB: 10 * GIB,
      replicas: { min: 1, max: 1 },
      pool: 'gpupool:default/prod-use1.l4-spot',
    });
    expect(picked.body.blocking).toEqual([
      'pool: l4-spot (prod-use1) — spot capacity is forbidden for this model',
    ]);
    expect(picked.body.recommended).toBe('gpupool:default/prod-use1.l4-od');

    const spotOnly = await place({
      name: 'whisper',
      owner: 'speech-team',
      memoryMiB: 10 * GIB,
      replicas: { min: 1, max: 1 },
      spot: 'require',
    });
    expect(spotOnly.body.request.spot).toBe('require');
    expect(spotOnly.body.blocking).toEqual([
      'spot: the model asks for spot capacity only, but group:default/speech-team policy forbids spot',
    ]);
  });

  it('prices business-hours traffic for its window only', async () => {
    const { place } = await startFleet();
    const body = {
      name: 'm',
      memoryMiB: 10 * GIB,
      replicas: { min: 1, max: 1 },
      spot: 'forbid',
      regions: ['us-east-1'],
      gpuTypes: ['L4'],
    };
    const always = (await place(body)).body as PlacementResponse;
    const office = (await place({ ...body, traffic: 'business-hours' }))
      .body as PlacementResponse;
    expect(office.hoursPerMonth).toBe(239);
    expect(office.options[0].monthlyUsd).toBeCloseTo(
      (always.options[0].monthlyUsd * 239) / 730,
      1,
    );
  });

  it('answers 400 naming the bad field', async () => {
    const { place } = await startFleet();
    const cases: Array<[object, RegExp]> = [
      [{ replicas: { min: 1, max: 1 }, memoryMiB: 1 }, /^name: Required/],
      [
        { name: 'Big_Model', replicas: { min: 1, max: 1 }, memoryMiB: 1 },
        /^name: must be a lower-case DNS label/,
      ],
      [
        { name: 'm', replicas: { min: 3, max: 1 }, memoryMiB: 1 },
        /^replicas\.max: must be at least replicas\.min \(3\), got 1/,
      ],
      [
        { name: 'm', replicas: { min: 1, max: 1 }, parametersBillions: 7 },
        /^precision: needed with parametersBillions/,
      ],
      [
        { name: 'm', replicas: { min: 1, max: 1 }, memoryMiB: 1, spot: 'yes' },
        /^spot: Invalid enum value/,
      ],
      [
        {
          name: 'm',
          replicas: { min: 1, max: 1 },
          memoryMiB: 1,
          owner: 'user:a',
        },
        /^owner: 'user:a' must refer to a Group/,
      ],
      [
        {
          name: 'm',
          replicas: { min: 1, max: 1 },
          memoryMiB: 1,
          owner: 'group:default/no-such-team',
        },
        /^owner: 'group:default\/no-such-team' is not a Group in the catalog/,
      ],
      [
        {
          name: 'm',
          replicas: { min: 1, max: 1 },
          memoryMiB: 1,
          owner: '\ud800',
        },
        /^owner: must be an entity reference, \[<kind>:\]\[<namespace>\/\]<name>, whose name may only have/,
      ],
      [
        { name: 'm', replicas: { min: 1, max: 1 }, memoryMiB: 1, zone: 'x' },
        /^zone: unknown key$/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await place(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('requires a caller', async () => {
    const { server } = await startFleet();
    const res = await request(server)
      .post('/api/modelfleet/placement')
      .set('Authorization', mockCredentials.none.header())
      .send({ name: 'm', replicas: { min: 1, max: 1 }, memoryMiB: 1 });
    expect(res.status).toBe(401);
  });
});

describe('parsePlacementRequest', () => {
  const base = { name: 'm', replicas: { min: 1, max: 2 }, memoryMiB: 100 };
  const messageOf = (body: unknown) => {
    try {
      parsePlacementRequest(body);
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it.each([
    [
      { replicas: { min: 1, max: 100 } },
      'replicas.max: must be a whole number from 1 to 64',
    ],
    [
      { monthlyBudgetUsd: JSON.parse('1e999') },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    [
      { monthlyBudgetUsd: 1e12 },
      'monthlyBudgetUsd: must be a number from 1 to 10000000',
    ],
    [
      { memoryMiB: 1e12 },
      'memoryMiB: must be a number greater than 0 and at most 16777216',
    ],
    [
      { parametersBillions: 1e-9, precision: 'fp16' },
      'parametersBillions: must be a number from 0.001 to 10000',
    ],
    [{ priority: 1e9 }, 'priority: must be a whole number from -1000 to 1000'],
    [
      { regions: Array(51).fill('us-east-1') },
      'regions: Array must contain at most 50 element(s)',
    ],
    [{ replicas: { min: 1, max: 2, maxx: 8 } }, 'replicas.maxx: unknown key'],
  ])('refuses %p naming the field and its range', (over, message) => {
    expect(messageOf({ ...base, ...over })).toBe(message);
  });

  it.each([0, 0.5, 5e-324])(
    'refuses a budget of %p USD a month, under the 1 the template allows too',
    monthlyBudgetUsd => {
      expect(messageOf({ ...base, monthlyBudgetUsd })).toBe(
        'monthlyBudgetUsd: must be a number from 1 to 10000000',
      );
    },
  );

  it('accepts a budget of 1 USD a month', () => {
    expect(messageOf({ ...base, monthlyBudgetUsd: 1 })).toBe('accepted');
  });

  it('accepts a minimal request', () => {
    expect(
      parsePlacementRequest({
        name: 'm',
        replicas: { min: 0, max: 1 },
        memoryMiB: 100,
      }),
    ).toEqual({ name: 'm', replicas: { min: 0, max: 1 }, memoryMiB: 100 });
  });
});

describe('poolScheduling', () => {
  it('selects the pool and tolerates its taints on each cloud', () => {
    const base = pools[0];
    expect(
      poolScheduling({
        ...base,
        provider: 'azure',
        name: 'a100spot',
        gpu: {
          ...base.gpu,
          product: 'A100-80GB',
          memoryMiB: 81920,
          sharing: 'mig',
          replicasPerGpu: 2,
        },
      }),
    ).toEqual({
      nodeSelector: { 'kubernetes.azure.com/agentpool': 'a100spot' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        {
          key: 'kubernetes.azure.com/scalesetpriority',
          operator: 'Equal',
          value: 'spot',
          effect: 'NoSchedule',
        },
      ],
      gpuResource: 'nvidia.com/mig-3g.40gb',
    });
    expect(
      poolScheduling({ ...base, provider: 'gcp', name: 'l4' }).nodeSelector,
    ).toEqual({
      'cloud.google.com/gke-nodepool': 'l4',
      'cloud.google.com/gke-spot': 'true',
    });
  });
});
