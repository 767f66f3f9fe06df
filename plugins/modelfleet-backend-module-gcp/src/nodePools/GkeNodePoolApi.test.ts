import http from 'node:http';
import { AddressInfo } from 'node:net';
import { serviceAccountKey, verifyJwt } from '../__testUtils__/fixtures';
import { FakeGke, FakeNodePool } from '../__testUtils__/gkeApi';
import { GoogleApiServer, googleError } from '../__testUtils__/googleApiServer';
import { Harness, NodePoolCall, NodePoolRun } from '../__testUtils__/harness';
import { GkeNodePoolApiOptions } from './GkeNodePoolApi';

jest.setTimeout(60_000);

const BASE = 'projects/ml-serving-prod/locations/us-central1/clusters/gke-a';
const PER_ZONE = `${BASE}/nodePools/a100-pool`;
const TOTAL = `${BASE}/nodePools/l4-pool`;
const FIXED = `${BASE}/nodePools/system`;

/** Three pools: per-zone limits in 2 zones, total limits, no autoscaling. */
const POOLS: Record<string, FakeNodePool> = {
  [PER_ZONE]: {
    name: 'a100-pool',
    locations: ['us-central1-a', 'us-central1-b'],
    initialNodeCount: 1,
    autoscaling: {
      enabled: true,
      minNodeCount: 1,
      maxNodeCount: 4,
      locationPolicy: 'BALANCED',
    },
  },
  [TOTAL]: {
    name: 'l4-pool',
    locations: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
    autoscaling: {
      enabled: true,
      totalMinNodeCount: 2,
      totalMaxNodeCount: 6,
      locationPolicy: 'ANY',
    },
  },
  [FIXED]: {
    name: 'system',
    locations: ['us-central1-a'],
    initialNodeCount: 3,
  },
};

const A100 = { cluster: 'gpu-east', pool: 'a100-pool' };
const L4 = { cluster: 'gpu-east', pool: 'l4-pool' };

describe('GkeNodePoolApi against a loopback GKE API', () => {
  let api: GoogleApiServer;
  let harness: Harness;
  let gke: FakeGke;
  const { key, publicKey } = serviceAccountKey('ml-serving-prod');

  beforeAll(async () => {
    [api, harness] = await Promise.all([
      GoogleApiServer.start(),
      Harness.start(),
    ]);
  });
  afterAll(async () => {
    harness?.stop();
    await api?.stop();
  });
  beforeEach(() => {
    gke = new FakeGke(POOLS);
    api.reset(gke.handle);
  });

  const options = (extra: object = {}): GkeNodePoolApiOptions => ({
    clusters: {
      'gpu-east': {
        project: 'ml-serving-prod',
        location: 'us-central1',
        gkeCluster: 'gke-a',
      },
    },
    apiEndpoint: api.url,
    credentials: key,
    pollIntervalMs: 20,
    ...extra,
  });
  const run = (calls: NodePoolCall[], extra: object = {}) =>
    harness.ok<NodePoolRun>({ kind: 'gke', options: options(extra), calls });
  const writes = () => api.requests.filter(r => r.method === 'POST');

  it('lists its clusters and reads sizes in whole-pool nodes, signed with the key', async () => {
    const { outcomes } = await run([
      { op: 'listClusters' },
      { op: 'size', ref: A100 },
      { op: 'size', ref: L4 },
    ]);
    expect(outcomes).toEqual([
      { ok: true, value: ['gpu-east'] },
      // Per zone 1..4 in 2 zones; no `desired` (initialNodeCount is not live).
      { ok: true, value: { min: 2, max: 8 } },
      { ok: true, value: { min: 2, max: 6 } },
    ]);
    expect(api.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/${PER_ZONE}`,
      `GET /v1/${TOTAL}`,
    ]);
    const claims = verifyJwt(api.requests[0].headers.authorization, publicKey);
    expect(claims.iss).toBe(key.client_email);
  });

  it('lowers a per-zone minimum, keeping the rest, then leaves it as it is', async () => {
    const { outcomes, logs } = await run([
      {
        op: 'setMinimum',
        ref: A100,
        min: 0,
        options: { actionStep: 'act-1#0' },
      },
      { op: 'setMinimum', ref: A100, min: 0 },
      { op: 'size', ref: A100 },
    ]);
    expect(outcomes).toEqual([
      { ok: true, value: { previous: { min: 2, max: 8 } } },
      { ok: true, value: { previous: { min: 0, max: 8 } } },
      { ok: true, value: { min: 0, max: 8 } },
    ]);
    expect(writes()).toHaveLength(1);
    expect(writes()[0].path).toBe(`/v1/${PER_ZONE}:setAutoscaling`);
    // Only the per-zone fields; the REST transport sends enums as numbers
    // (BALANCED = 1).
    expect(JSON.parse(writes()[0].body)).toEqual({
      autoscaling: {
        enabled: true,
        minNodeCount: 0,
        maxNodeCount: 4,
        locationPolicy: 1,
      },
    });
    expect(gke.pools.get(PER_ZONE)!.autoscaling).toMatchObject({
      enabled: true,
      maxNodeCount: 4,
    });
    expect(logs).toEqual([
      {
        level: 'info',
        message:
          'gpu-east: GKE node pool a100-pool: minimum 2 → 0 (per zone 1 → 0 in 2 zones), maximum 8 (action step act-1#0)',
      },
    ]);
  });

  it('sets a total minimum in the total form, and back', async () => {
    const { outcomes } = await run([
      { op: 'setMinimum', ref: L4, min: 0 },
      { op: 'setMinimum', ref: L4, min: 2 },
    ]);
    expect(outcomes).toEqual([
      { ok: true, value: { previous: { min: 2, max: 6 } } },
      { ok: true, value: { previous: { min: 0, max: 6 } } },
    ]);
    expect(writes().map(w => JSON.parse(w.body).autoscaling)).toEqual([
      {
        enabled: true,
        totalMinNodeCount: 0,
        totalMaxNodeCount: 6,
        locationPolicy: 2,
      },
      {
        enabled: true,
        totalMinNodeCount: 2,
        totalMaxNodeCount: 6,
        locationPolicy: 2,
      },
    ]);
  });

  it('checks a dry run without writing', async () => {
    const { outcomes, logs } = await run([
      { op: 'setMinimum', ref: A100, min: 0, options: { dryRun: true } },
      { op: 'setMinimum', ref: A100, min: 10, options: { dryRun: true } },
    ]);
    expect(outcomes[0]).toEqual({
      ok: true,
      value: { previous: { min: 2, max: 8 } },
    });
    expect(outcomes[1]).toMatchObject({ ok: false, code: 'invalid' });
    expect(writes()).toHaveLength(0);
    expect(logs).toEqual([
      {
        level: 'debug',
        message:
          'gpu-east: GKE node pool a100-pool: minimum 2 → 0 (per zone 1 → 0 in 2 zones), maximum 8, dry run',
      },
    ]);
  });

  it('refuses a minimum above the maximum, negative, fractional or not a multiple of the zones', async () => {
    const { outcomes } = await run([
      { op: 'setMinimum', ref: A100, min: 9 },
      { op: 'setMinimum', ref: A100, min: -1 },
      { op: 'setMinimum', ref: A100, min: 0.5 },
      { op: 'setMinimum', ref: A100, min: 3 },
    ]);
    const invalid = { ok: false, code: 'invalid', retryable: false };
    expect(outcomes[0]).toMatchObject({
      ...invalid,
      message:
        "gpu-east: node pool a100-pool: the minimum 9 is above the pool's maximum 8",
    });
    expect(outcomes[1]).toMatchObject({
      ...invalid,
      message: expect.stringMatching(/a100-pool: the minimum -1 is not/),
    });
    expect(outcomes[2]).toMatchObject(invalid);
    expect(outcomes[3]).toMatchObject({
      ...invalid,
      message:
        'gpu-east: node pool a100-pool: the pool has per-zone limits in 2 zones, and a minimum of 3 nodes is not a multiple of 2 (use 2 or 4)',
    });
    expect(writes()).toHaveLength(0);
    // The negative and fractional minimums are refused before any read.
    expect(api.requests).toHaveLength(2);
  });

  it('refuses a pool whose autoscaling is off', async () => {
    const { outcomes } = await run([
      { op: 'size', ref: { cluster: 'gpu-east', pool: 'system' } },
      {
        op: 'setMinimum',
        ref: { cluster: 'gpu-east', pool: 'system' },
        min: 0,
      },
    ]);
    for (const o of outcomes) {
      expect(o).toEqual({
        ok: false,
        name: 'ActuatorError',
        code: 'invalid',
        retryable: false,
        message:
          'gpu-east: autoscaling is off for node pool system: a fixed-size pool has no minimum to lower; resize it with gcloud container clusters resize',
      });
    }
    expect(writes()).toHaveLength(0);
  });

  it('says a pool or a cluster is unknown', async () => {
    const { outcomes } = await run([
      { op: 'size', ref: { cluster: 'gpu-east', pool: 'h100-pool' } },
      { op: 'size', ref: { cluster: 'gpu-west', pool: 'a100-pool' } },
    ]);
    expect(outcomes[0]).toEqual({
      ok: false,
      name: 'ActuatorError',
      code: 'notFound',
      retryable: false,
      status: 404,
      message: `gpu-east: node pool h100-pool: GKE getNodePool: NOT_FOUND: Not found: ${BASE}/nodePools/h100-pool.`,
    });
    expect(outcomes[1]).toMatchObject({
      code: 'unknownCluster',
      message: expect.stringMatching(
        /^gpu-west: no GKE cluster is configured for it under modelfleet\.gcp\.nodePools\.clusters/,
      ),
    });
  });

  it.each([
    [403, 'PERMISSION_DENIED', 'forbidden', false],
    [401, 'UNAUTHENTICATED', 'unauthorized', false],
    [429, 'RESOURCE_EXHAUSTED', 'unavailable', true],
    [500, 'INTERNAL', 'unavailable', true],
    [503, 'UNAVAILABLE', 'unavailable', true],
  ])('maps HTTP %i to %s', async (status, grpc, code, retryable) => {
    api.reset(() => ({
      status,
      json: googleError(status, grpc, `Required "container.nodePools.get"`),
    }));
    const { outcomes } = await run([{ op: 'size', ref: A100 }]);
    expect(outcomes[0]).toMatchObject({
      ok: false,
      code,
      retryable,
      status,
      message: expect.stringContaining(
        'gpu-east: node pool a100-pool: GKE getNodePool: ',
      ),
    });
    expect(outcomes[0]).toMatchObject({
      message: expect.stringContaining('Required "container.nodePools.get"'),
    });
    // No retries inside the client library: the caller retries.
    expect(api.requests).toHaveLength(1);
  });

  it('waits for a running operation, and reports a failed one', async () => {
    gke.runningPolls = 2;
    const first = await run([{ op: 'setMinimum', ref: A100, min: 0 }]);
    expect(first.outcomes[0]).toMatchObject({ ok: true });
    expect(api.requests.map(r => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/${PER_ZONE}`,
      `POST /v1/${PER_ZONE}:setAutoscaling`,
      'GET /v1/projects/ml-serving-prod/locations/us-central1/operations/operation-1',
      'GET /v1/projects/ml-serving-prod/locations/us-central1/operations/operation-1',
    ]);

    gke.runningPolls = 0;
    gke.operationError = { code: 8, message: 'Insufficient quota' };
    const failed = await run([{ op: 'setMinimum', ref: A100, min: 2 }]);
    expect(failed.outcomes[0]).toMatchObject({
      ok: false,
      code: 'unavailable',
      retryable: true,
      message:
        'gpu-east: node pool a100-pool: GKE operation operation-2: RESOURCE_EXHAUSTED: Insufficient quota',
    });
    expect(failed.logs).toEqual([]);
  });

  it('gives up on an operation that does not finish', async () => {
    gke.runningPolls = 1000;
    const { outcomes } = await run([{ op: 'setMinimum', ref: A100, min: 0 }], {
      operationTimeoutMs: 100,
    });
    expect(outcomes[0]).toMatchObject({
      ok: false,
      code: 'timeout',
      retryable: true,
      message: expect.stringMatching(
        /a100-pool: GKE operation operation-1 is still RUNNING after/,
      ),
    });
  });

  it('takes a cluster busy with another operation as a retryable conflict', async () => {
    api.reset(req =>
      req.method === 'POST'
        ? {
            status: 400,
            json: googleError(
              400,
              'FAILED_PRECONDITION',
              'Cluster is running incompatible operation operation-1234.',
            ),
          }
        : gke.handle(req),
    );
    const { outcomes } = await run([{ op: 'setMinimum', ref: A100, min: 0 }]);
    expect(outcomes[0]).toMatchObject({
      ok: false,
      code: 'conflict',
      retryable: true,
      status: 409,
    });
  });

  it('takes an endpoint that refuses connections as unavailable', async () => {
    const closed = await GoogleApiServer.start();
    const url = closed.url;
    await closed.stop();
    const { outcomes } = await run([{ op: 'size', ref: A100 }], {
      apiEndpoint: url,
    });
    expect(outcomes[0]).toMatchObject({
      ok: false,
      code: 'unavailable',
      retryable: true,
      message: expect.stringMatching(/^gpu-east: node pool a100-pool: GKE/),
    });
  });

  it('gives up on a request that gets no answer', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const { outcomes } = await run([{ op: 'size', ref: A100 }], {
        apiEndpoint: `http://127.0.0.1:${port}`,
        timeoutMs: 300,
      });
      expect(outcomes[0]).toEqual({
        ok: false,
        name: 'ActuatorError',
        code: 'timeout',
        retryable: true,
        message:
          'gpu-east: node pool a100-pool: GKE getNodePool: no answer within 300 ms',
      });
    } finally {
      silent.closeAllConnections();
      await new Promise(r => silent.close(r));
    }
  });
});
