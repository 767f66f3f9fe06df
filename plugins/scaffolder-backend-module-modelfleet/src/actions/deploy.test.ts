import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ModelFleetAction } from '@modelfleet/plugin-modelfleet-common';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import yaml from 'yaml';
import { renderModelManifests } from '../manifests';
import { teamCatalog } from '../__testUtils__/teams';
import { createDeployAction } from './deploy';
import { examples } from './deploy.examples';

jest.setTimeout(30_000);

interface Seen {
  method: string;
  path: string;
  authorization?: string;
  body?: any;
}

type Reply = { status: number; body: unknown };

/**
 * A loopback server standing in for the ModelFleet backend: `POST
 * /api/modelfleet/deployments` answers with `deploy`, each `GET
 * /api/modelfleet/actions/:id` with the next of `polls` (the last one
 * repeats).
 */
async function modelfleetBackend(options: {
  deploy: (body: any) => Reply;
  polls?: ModelFleetAction[];
}) {
  const seen: Seen[] = [];
  let poll = 0;
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', c => (data += c));
    req.on('end', () => {
      const entry: Seen = {
        method: req.method!,
        path: req.url!,
        authorization: req.headers.authorization,
        ...(data ? { body: JSON.parse(data) } : {}),
      };
      seen.push(entry);
      const send = ({ status, body }: Reply) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && req.url === '/api/modelfleet/deployments') {
        return send(options.deploy(entry.body));
      }
      const m = req.url!.match(/^\/api\/modelfleet\/actions\/([^/]+)$/);
      if (req.method === 'GET' && m && options.polls?.length) {
        const next = options.polls[Math.min(poll++, options.polls.length - 1)];
        // The route answers `{ action }`; a bare action is read as well.
        return send({
          status: 200,
          body: poll % 2 ? { action: next } : next,
        });
      }
      return send({ status: 404, body: { error: { message: req.url } } });
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    discovery: {
      getBaseUrl: async (id: string) => `http://127.0.0.1:${port}/api/${id}`,
      getExternalBaseUrl: async (id: string) =>
        `http://127.0.0.1:${port}/api/${id}`,
    },
    seen,
    close: () => server.close(),
  };
}

/** A Backstage error body, as the backend's error handler writes it. */
const errorReply = (status: number, name: string, message: string): Reply => ({
  status,
  body: { error: { name, message }, response: { statusCode: status } },
});

const rendered = renderModelManifests({
  name: 'bge-large-embeddings',
  namespace: 'models',
  owner: 'group:default/search-team',
  model: {
    source: 'BAAI/bge-large-en-v1.5',
    parametersBillions: 0.335,
    precision: 'fp16',
    runtime: 'tgi',
  },
  gpu: { product: 'L4', count: 1, memoryGiB: 2 },
  replicas: { min: 1, max: 3 },
  traffic: 'sporadic',
  pool: {
    ref: 'gpupool:default/prod-use1.l4-spot',
    cluster: 'prod-use1',
    region: 'us-east-1',
    capacityType: 'spot',
    scheduling: {
      nodeSelector: { 'eks.amazonaws.com/nodegroup': 'l4-spot' },
      tolerations: [
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ],
      gpuResource: 'nvidia.com/gpu',
    },
  },
});

const ACTION_ID = '0b6f3f4e-7d0a-4a39-9a53-5c1f0e8f9a11';

function storedAction(
  state: ModelFleetAction['state'],
  extra: Partial<ModelFleetAction> = {},
): ModelFleetAction {
  return {
    id: ACTION_ID,
    idempotencyKey:
      'deploy:model:default/bge-large-embeddings:mock-task-id:mock-step-id',
    kind: 'deploy',
    entityRef: 'model:default/bge-large-embeddings',
    cluster: 'prod-use1',
    steps: [
      {
        description:
          'Apply 7 object(s) of bge-large-embeddings to prod-use1/models (server-side apply)',
        do: { op: 'apply', cluster: 'prod-use1', objects: [] },
      },
    ],
    state,
    stepIndex: state === 'planned' ? -1 : 0,
    attempts: 0,
    version: 1,
    dryRun: false,
    requestedBy: 'user:default/mock',
    reason: 'First deploy of the embeddings model',
    createdAt: '2026-12-03T10:00:00.000Z',
    updatedAt: '2026-12-03T10:00:00.000Z',
    ...extra,
  };
}

const planned = {
  at: '2026-12-03T10:00:00.000Z',
  from: null,
  to: 'planned' as const,
  actor: 'user:default/mock',
  outcome: 'info' as const,
  message: 'planned: First deploy of the embeddings model',
};
const applying = {
  at: '2026-12-03T10:00:02.000Z',
  from: 'planned' as const,
  to: 'applying' as const,
  step: 0,
  actor: 'replica:a',
  outcome: 'info' as const,
  message: 'applying',
};

function setup(discovery: { getBaseUrl(id: string): Promise<string> }) {
  const events: Array<{ options: any; outcome?: any }> = [];
  const auditor = {
    async createEvent(o: any) {
      const event: { options: any; outcome?: any } = { options: o };
      events.push(event);
      return {
        async success(x?: any) {
          event.outcome = { success: x ?? {} };
        },
        async fail(x: any) {
          event.outcome = { fail: x.error.message };
        },
      };
    },
  };
  const deploy = createDeployAction({
    discovery: discovery as any,
    auth: mockServices.auth(),
    auditor,
    catalog: teamCatalog(),
    pollIntervalMs: 5,
  });
  return { action: deploy, events };
}

/** The example's step input with its template expressions filled in. */
function exampleInput(index: number) {
  const [step] = yaml.parse(examples[index].example).steps;
  return {
    ...step.input,
    cluster: 'prod-use1',
    manifests: rendered.manifests,
    entityRef: 'model:default/bge-large-embeddings',
  };
}

function context(input: Record<string, unknown>) {
  const logger = mockServices.logger.mock();
  const ctx = createMockActionContext({ input: input as any, logger });
  return { ctx, logger };
}

const outputs = (ctx: any) =>
  Object.fromEntries((ctx.output as jest.Mock).mock.calls);

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the step to fail');
}

describe('modelfleet:deploy', () => {
  it('example 1: a server dry-run through the backend, nothing stored, no audit', async () => {
    const backend = await modelfleetBackend({
      deploy: body => ({
        status: 200,
        body: {
          dryRun: {
            objects: body.manifests.map((m: any) => ({
              kind: m.kind,
              name: m.metadata.name,
              namespace: m.metadata.namespace,
              object: m,
            })),
          },
        },
      }),
    });
    try {
      const { action, events } = setup(backend.discovery);
      const { ctx } = context(exampleInput(0));
      await action.handler(ctx as any);
      expect(backend.seen).toHaveLength(1);
      expect(backend.seen[0]).toMatchObject({
        method: 'POST',
        path: '/api/modelfleet/deployments',
        body: {
          cluster: 'prod-use1',
          namespace: 'models',
          model: 'model:default/bge-large-embeddings',
          owner: 'group:default/search-team',
          manifests: rendered.manifests,
          dryRun: true,
          idempotencyKey: 'mock-task-id:mock-step-id',
        },
      });
      expect(backend.seen[0].authorization).toMatch(/^Bearer \S+/);
      expect(outputs(ctx)).toMatchObject({
        applied: false,
        waitingForApproval: false,
        summary: `Dry-run: the API server of prod-use1 accepted ${rendered.manifests.length} object(s)`,
      });
      expect(outputs(ctx).results).toHaveLength(rendered.manifests.length);
      expect(outputs(ctx).results[0]).toEqual({
        kind: rendered.manifests[0].kind,
        name: 'bge-large-embeddings',
        namespace: 'models',
        outcome: 'dry-run',
      });
      expect(events).toEqual([]);
    } finally {
      backend.close();
    }
  });

  it('example 2: stores a deploy action and follows it to done, logging each event, audited', async () => {
    const backend = await modelfleetBackend({
      deploy: () => ({
        status: 201,
        body: { action: storedAction('planned') },
      }),
      polls: [
        storedAction('applying', { events: [planned, applying] }),
        storedAction('applying', { events: [planned, applying] }),
        storedAction('done', {
          events: [
            planned,
            applying,
            {
              at: '2026-12-03T10:00:05.000Z',
              from: 'applying',
              to: 'done',
              actor: 'replica:a',
              outcome: 'succeeded',
              message: '7 object(s) applied',
            },
          ],
        }),
      ],
    });
    try {
      const { action: deploy, events } = setup(backend.discovery);
      const { ctx, logger } = context(exampleInput(1));
      await deploy.handler(ctx as any);
      expect(backend.seen[0].body).toMatchObject({
        dryRun: false,
        reason: 'First deploy of the embeddings model',
      });
      expect(backend.seen.slice(1).map(s => `${s.method} ${s.path}`)).toEqual([
        `GET /api/modelfleet/actions/${ACTION_ID}`,
        `GET /api/modelfleet/actions/${ACTION_ID}`,
        `GET /api/modelfleet/actions/${ACTION_ID}`,
      ]);
      expect(outputs(ctx)).toMatchObject({
        applied: true,
        actionId: ACTION_ID,
        state: 'done',
        waitingForApproval: false,
        summary: `Applied to prod-use1: ${rendered.manifests.length} object(s) (ModelFleet action ${ACTION_ID})`,
      });
      const logged = logger.info.mock.calls.map(c => c[0]);
      // Each event once, in order.
      expect(logged.filter(l => / → /.test(l))).toEqual([
        'new → planned by user:default/mock: planned: First deploy of the embeddings model',
        'planned → applying (step 1) by replica:a: applying',
        'applying → done by replica:a: 7 object(s) applied',
      ]);
      expect(events).toHaveLength(1);
      expect(events[0].options).toMatchObject({
        eventId: 'model-deploy',
        severityLevel: 'medium',
        meta: {
          actor: 'user:default/mock',
          taskId: 'mock-task-id',
          entityRef: 'model:default/bge-large-embeddings',
          cluster: 'prod-use1',
          namespace: 'models',
        },
      });
      expect(events[0].options.meta.objects).toContain(
        'Deployment/bge-large-embeddings',
      );
      expect(events[0].outcome).toEqual({
        success: { meta: { outcome: 'applied', actionId: ACTION_ID } },
      });
    } finally {
      backend.close();
    }
  });

  it("succeeds at once, saying so, when the team's policy makes the action wait for approval", async () => {
    const backend = await modelfleetBackend({
      deploy: () => ({
        status: 201,
        body: { action: storedAction('planned', { dryRun: true }) },
      }),
    });
    try {
      const { action: deploy, events } = setup(backend.discovery);
      const { ctx } = context(exampleInput(1));
      await deploy.handler(ctx as any);
      expect(backend.seen).toHaveLength(1);
      expect(outputs(ctx)).toMatchObject({
        applied: false,
        actionId: ACTION_ID,
        state: 'planned',
        waitingForApproval: true,
        summary: `ModelFleet action ${ACTION_ID} is planned and waits for approval: the owner team's policy is dry-run, so nothing changes on prod-use1 until someone with modelfleet.recommendation.apply approves it`,
      });
      expect(events[0].outcome).toEqual({
        success: {
          meta: { outcome: 'waiting-for-approval', actionId: ACTION_ID },
        },
      });
    } finally {
      backend.close();
    }
  });

  it("fails with the action's last error when it is rolled back", async () => {
    const lastError =
      'prod-use1: Deployment models/bge-large-embeddings: admission webhook denied the request';
    const backend = await modelfleetBackend({
      deploy: () => ({
        status: 200,
        body: { action: storedAction('applying') },
      }),
      polls: [storedAction('rolledBack', { lastError })],
    });
    try {
      const { action: deploy, events } = setup(backend.discovery);
      const { ctx } = context(exampleInput(1));
      const e = await failure(deploy.handler(ctx as any));
      expect(e.message).toBe(
        `ModelFleet action ${ACTION_ID} ended rolledBack: ${lastError}`,
      );
      expect(events[0].outcome).toEqual({ fail: e.message });
    } finally {
      backend.close();
    }
  });

  it('fails when the action is not final within timeoutSeconds', async () => {
    const backend = await modelfleetBackend({
      deploy: () => ({
        status: 201,
        body: { action: storedAction('planned') },
      }),
      polls: [storedAction('applying')],
    });
    try {
      const { action: deploy } = setup(backend.discovery);
      const { ctx } = context({ ...exampleInput(1), timeoutSeconds: 1 });
      const e = await failure(deploy.handler(ctx as any));
      expect(e.message).toBe(
        `ModelFleet action ${ACTION_ID} is still applying after 1 s; it goes on in the backend (see the Model page)`,
      );
    } finally {
      backend.close();
    }
  });

  it("refuses the privileged kube-system Deployment with the backend's reasons, audited", async () => {
    // The backend's answer to this request (its tests check it produces it).
    const refusal =
      'manifests: refused, a model deployment never needs these 3 things: ' +
      "namespace: 'kube-system' is on the deny list of namespaces no model is deployed to; " +
      "Deployment/bge-large-embeddings spec.template.spec.volumes[3].hostPath: volume 'host' mounts the node's filesystem (/) (hostPath); " +
      "Deployment/bge-large-embeddings spec.template.spec.containers[0].securityContext.privileged: container 'server' is privileged (root on the node)";
    const backend = await modelfleetBackend({
      deploy: () => errorReply(400, 'InputError', refusal),
    });
    try {
      const manifests = structuredClone(rendered.manifests) as any[];
      for (const m of manifests) m.metadata.namespace = 'kube-system';
      const pod = manifests.find(m => m.kind === 'Deployment').spec.template
        .spec;
      pod.containers[0].securityContext = { privileged: true };
      pod.volumes.push({ name: 'host', hostPath: { path: '/' } });
      const { action: deploy, events } = setup(backend.discovery);
      const { ctx } = context({
        ...exampleInput(1),
        namespace: 'kube-system',
        manifests,
      });
      const e = await failure(deploy.handler(ctx as any));
      expect(e.name).toBe('InputError');
      expect(e.message).toBe(refusal);
      expect(backend.seen[0].body.namespace).toBe('kube-system');
      expect(events[0].outcome).toEqual({ fail: refusal });
    } finally {
      backend.close();
    }
  });

  it("passes on the backend's refusal of the caller as NotAllowedError", async () => {
    const message =
      'user:default/mock may not deploy model:default/bge-large-embeddings: not a member of its owner group:default/search-team nor of a platform team (group:default/platform-team)';
    const backend = await modelfleetBackend({
      deploy: () => errorReply(403, 'NotAllowedError', message),
    });
    try {
      const { action: deploy } = setup(backend.discovery);
      const { ctx } = context(exampleInput(0));
      const e = await failure(deploy.handler(ctx as any));
      expect(e.name).toBe('NotAllowedError');
      expect(e.message).toBe(message);
    } finally {
      backend.close();
    }
  });

  it('rejects manifests the Kubernetes schemas reject, naming the field, before calling the backend', async () => {
    const backend = await modelfleetBackend({
      deploy: () => errorReply(500, 'Error', 'not expected'),
    });
    try {
      const { action: deploy } = setup(backend.discovery);
      const broken = structuredClone(rendered.manifests) as any[];
      broken.find(m => m.kind === 'Deployment').spec.replicas = 'three';
      const { ctx } = context({ ...exampleInput(0), manifests: broken });
      const e = await failure(deploy.handler(ctx as any));
      expect(e.name).toBe('InputError');
      expect(e.message).toMatch(
        /^manifests: the Kubernetes schemas reject 1 field\(s\): Deployment\/bge-large-embeddings \/spec\/replicas: /,
      );
      const { ctx: noKind } = context({
        ...exampleInput(0),
        manifests: [{ apiVersion: 'v1' }],
      });
      expect((await failure(deploy.handler(noKind as any))).message).toBe(
        'manifests[0].kind: missing',
      );
      expect(backend.seen).toEqual([]);
    } finally {
      backend.close();
    }
  });
});
