import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  PlacementOption,
  PlacementResponse,
} from '@modelfleet/plugin-modelfleet-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import yaml from 'yaml';
import {
  createPlacementClient,
  createRecommendPlacementAction,
} from './recommendPlacement';
import { examples } from './recommendPlacement.examples';
import { teamCatalog } from '../__testUtils__/teams';

// Loading the Kubernetes schemas and starting backends is slow on a loaded CI machine.
jest.setTimeout(60_000);

const option = (over: Partial<PlacementOption> = {}): PlacementOption => ({
  ref: 'gpupool:default/demo-gcp-usc1.a2-a100',
  title: 'a2-a100 (demo-gcp-usc1)',
  cluster: 'demo-gcp-usc1',
  provider: 'gcp',
  region: 'us-central1',
  instanceType: 'a2-highgpu-1g',
  capacityType: 'on-demand',
  gpu: { product: 'A100', memoryMiB: 40960, perNode: 1 },
  rank: 1,
  replicasPerNode: 1,
  usdPerNodeHour: 3.67,
  priceSource: 'bundled-catalog (skypilot-catalog v9 AWS/GCP, v6 Azure)',
  monthlyUsd: 2679.1,
  monthlyUsdAtMax: 5358.2,
  chargedMonthlyUsd: 2679.1,
  chargedMonthlyUsdAtMax: 5358.2,
  capacity: { freeUnits: 0, addableNodes: 2, source: 'from the cluster' },
  scheduling: {
    nodeSelector: { 'cloud.google.com/gke-nodepool': 'a2-a100' },
    tolerations: [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
    ],
    gpuResource: 'nvidia.com/gpu',
  },
  violations: [],
  ...over,
});

/** A loopback ModelFleet backend answering POST /placement. */
async function placementServer(answer: (body: any) => [number, object]) {
  const calls: Array<{ body: any; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', c => (data += c));
    req.on('end', () => {
      const body = JSON.parse(data);
      calls.push({ body, authorization: req.headers.authorization });
      const [status, json] =
        req.method === 'POST' && req.url === '/api/modelfleet/placement'
          ? answer(body)
          : [404, { error: { name: 'NotFoundError', message: req.url } }];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = createPlacementClient({
    discovery: {
      getBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
      getExternalBaseUrl: async id => `http://127.0.0.1:${port}/api/${id}`,
    },
    auth: mockServices.auth(),
  });
  return { calls, client, close: () => server.close() };
}

const response = (
  body: any,
  over: Partial<PlacementResponse> = {},
): PlacementResponse => ({
  request: {
    ...body,
    memoryMiB: 19000,
    gpusPerReplica: 1,
    spot: body.spot ?? 'allow',
    traffic: body.traffic ?? 'always-on',
  },
  policy: {
    team: body.owner ?? null,
    allowedGpuTypes: null,
    spot: 'allow',
    monthlyBudgetUsd: null,
    teamForecastThisMonthUsd: null,
  },
  options: [option()],
  excluded: [],
  recommended: option().ref,
  ...(body.pool ? { picked: { option: option() } } : {}),
  blocking: [],
  method: 'exact',
  ...over,
});

describe('modelfleet:placement:recommend', () => {
  it.each(examples.map(e => [e.description, e.example]))(
    'runs the example: %s',
    async (_d, example) => {
      const server = await placementServer(body => [200, response(body)]);
      try {
        const action = createRecommendPlacementAction({
          client: server.client,
          catalog: teamCatalog(),
        });
        const [step] = yaml.parse(example).steps;
        expect(step.action).toBe(action.id);
        const ctx = createMockActionContext({ input: step.input });
        await action.handler(ctx as any);
        // The request carries the example's input, on behalf of the user.
        expect(server.calls[0].body).toEqual(step.input);
        expect(server.calls[0].authorization).toMatch(/^Bearer /);
        const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
        expect(out).toMatchObject({
          pool: 'gpupool:default/demo-gcp-usc1.a2-a100',
          cluster: 'demo-gcp-usc1',
          gpuMemoryGiB: 18.55,
          monthlyUsd: 2679.1,
          scheduling: { gpuResource: 'nvidia.com/gpu' },
        });
        expect(out.summary).toMatch(
          /goes to a2-a100 \(demo-gcp-usc1\): A100 in us-central1 \(on-demand\)\. Showback charges \$2,679\.10 a month/,
        );
      } finally {
        server.close();
      }
    },
  );

  it.each([
    ['time-slicing', 'time-slicing'],
    ['mig', 'mig'],
    ['nothing', 'whole'],
  ])(
    'outputs how the picked pool shares its GPUs (its GpuPool says %s)',
    async (sharing, expected) => {
      const server = await placementServer(body => [200, response(body)]);
      try {
        const action = createRecommendPlacementAction({
          client: server.client,
          catalog: teamCatalog([
            {
              apiVersion: 'modelfleet.io/v1alpha1',
              kind: 'GpuPool',
              metadata: { name: 'demo-gcp-usc1.a2-a100', namespace: 'default' },
              spec: {
                cluster: 'demo-gcp-usc1',
                gpu: {
                  product: 'A100',
                  perNode: 1,
                  ...(sharing === 'nothing' ? {} : { sharing }),
                },
              },
            },
          ]),
        });
        const ctx = createMockActionContext({
          input: { name: 'm', memoryMiB: 1000, replicas: { min: 1, max: 1 } },
        });
        await action.handler(ctx as any);
        const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
        expect(out.gpuSharing).toBe(expected);
      } finally {
        server.close();
      }
    },
  );

  it('outputs no sharing mode when the catalog does not have the pool', async () => {
    const server = await placementServer(body => [200, response(body)]);
    try {
      const action = createRecommendPlacementAction({
        client: server.client,
        catalog: teamCatalog(),
      });
      const ctx = createMockActionContext({
        input: { name: 'm', memoryMiB: 1000, replicas: { min: 1, max: 1 } },
      });
      await action.handler(ctx as any);
      const out = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(out.pool).toBe('gpupool:default/demo-gcp-usc1.a2-a100');
      expect(out).not.toHaveProperty('gpuSharing');
    } finally {
      server.close();
    }
  });

  it('fails with the reasons when the placement is blocked', async () => {
    const server = await placementServer(body => [
      200,
      response(body, {
        options: [],
        recommended: null,
        blocking: [
          'pool: g6-l4-spot (demo-aws-use1) — spot capacity is forbidden for this model',
        ],
      }),
    ]);
    try {
      const action = createRecommendPlacementAction({
        client: server.client,
        catalog: teamCatalog(),
      });
      const ctx = createMockActionContext({
        input: {
          name: 'whisper',
          memoryMiB: 4000,
          replicas: { min: 1, max: 1 },
          pool: 'gpupool:default/demo-aws-use1.g6-l4-spot',
        },
      });
      let error: Error | undefined;
      await action.handler(ctx as any).catch(e => (error = e));
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(
        'The model cannot be placed: pool: g6-l4-spot (demo-aws-use1) — spot capacity is forbidden for this model',
      );
    } finally {
      server.close();
    }
  });

  it('names the inputs that kept every pool out when none can take the model', async () => {
    const server = await placementServer(body => [
      200,
      response(body, {
        options: [],
        recommended: null,
        excluded: [
          { code: 'gpu-memory' },
          { code: 'gpu-type' },
          { code: 'region' },
        ] as any,
        blocking: [
          'No GPU pool can take 1 replica(s) of llama under the request and policy (13 pools excluded: gpu-memory, gpu-type, region)',
        ],
      }),
    ]);
    try {
      const action = createRecommendPlacementAction({
        client: server.client,
        catalog: teamCatalog(),
      });
      const ctx = createMockActionContext({
        input: {
          name: 'llama',
          parametersBillions: 16,
          replicas: { min: 1, max: 1 },
          regions: ['eu-west-1'],
        },
      });
      let error: Error | undefined;
      await action.handler(ctx as any).catch(e => (error = e));
      expect(error?.name).toBe('InputError');
      // No GPU types were asked for: the policy's are not the user's to fix.
      expect(error?.message).toBe(
        'parametersBillions, regions: the model cannot be placed: No GPU pool can take 1 replica(s) of llama under the request and policy (13 pools excluded: gpu-memory, gpu-type, region)',
      );
    } finally {
      server.close();
    }
  });

  it('turns a 400 of the backend into an InputError naming the field', async () => {
    const server = await placementServer(() => [
      400,
      {
        error: {
          name: 'InputError',
          message: 'replicas.max: must be at least replicas.min (3), got 1',
        },
        response: { statusCode: 400 },
      },
    ]);
    try {
      const action = createRecommendPlacementAction({
        client: server.client,
        catalog: teamCatalog(),
      });
      const ctx = createMockActionContext({
        input: { name: 'm', memoryMiB: 1, replicas: { min: 1, max: 1 } },
      });
      let error: Error | undefined;
      await action.handler(ctx as any).catch(e => (error = e));
      expect(error?.name).toBe('InputError');
      expect(error?.message).toBe(
        'replicas.max: must be at least replicas.min (3), got 1',
      );
    } finally {
      server.close();
    }
  });
});
