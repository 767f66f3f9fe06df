import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { startModelActionsBackend } from '../__testUtils__/modelActionsBackend';

jest.setTimeout(30_000);

const workload = {
  cluster: 'c1',
  namespace: 'vision',
  kind: 'Deployment' as const,
  name: 'sdxl',
};

const model = (name: string, owner: string) => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: { owner, workload: { ...workload, name } },
});

async function start(options: { allow?: boolean } = {}) {
  const allow = options.allow ?? true;
  const auditor = mockServices.auditor.mock();
  const { server, cluster } = await startModelActionsBackend({
    workload,
    entities: [
      model('sdxl', 'group:default/vision-team'),
      model('chat', 'group:default/assistant-team'),
    ],
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({
          result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        })),
      authorizeConditional: async queries =>
        queries.map(() => ({
          result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        })),
    }).factory,
    features: [auditor.factory],
  });
  return { server, cluster, auditor };
}

async function until<T>(
  read: () => Promise<T>,
  ok: (v: T) => boolean,
): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

describe('model actions', () => {
  it('hibernates a model through the action path and shows it in /actions', async () => {
    const { server, cluster, auditor } = await start();
    const caps = await request(server)
      .get('/api/modelfleet/models/default/sdxl/capabilities')
      .set('Authorization', mockCredentials.user.header('user:default/jane'));
    expect(caps.status).toBe(200);
    expect(caps.body).toMatchObject({
      entityRef: 'model:default/sdxl',
      replicas: { desired: 2, ready: 2 },
      autoscaler: { kind: 'ScaledObject', name: 'sdxl' },
      hibernate: { allowed: true },
      wake: { allowed: false, reason: 'It is awake (2 ready)' },
      dryRun: false,
    });

    const res = await request(server)
      .post('/api/modelfleet/models/default/sdxl/hibernate')
      .set('Authorization', mockCredentials.user.header('user:default/jane'))
      .send({ reason: 'quiet night' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      kind: 'hibernate',
      state: 'planned',
      requestedBy: 'user:default/jane',
    });
    expect(res.body.reason).toMatch(/quiet night/);

    const done = await until(
      async () =>
        (
          await request(server)
            .get(
              `/api/modelfleet/actions?entity=${encodeURIComponent(
                'Model:default/sdxl',
              )}`,
            )
            .set(
              'Authorization',
              mockCredentials.user.header('user:default/jane'),
            )
        ).body.actions[0],
      a => a.state === 'done',
    );
    expect(done.events.map((e: any) => e.to)).toEqual([
      'planned',
      'applying',
      'applying',
      'verifying',
      'done',
    ]);
    expect((cluster.workload(workload).spec as any).replicas).toBe(0);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'action-transition',
        meta: expect.objectContaining({
          entityRef: 'model:default/sdxl',
          to: 'done',
        }),
      }),
    );
  });

  it('keeps an action of a dry-run team at planned until approved, and refuses a second one meanwhile', async () => {
    const { server, cluster } = await start();
    const auth = mockCredentials.user.header('user:default/jane');
    const first = await request(server)
      .post('/api/modelfleet/models/default/chat/scale')
      .set('Authorization', auth)
      .send({ replicas: 3 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ dryRun: true, state: 'planned' });
    expect(first.body.diff).toEqual([
      expect.objectContaining({
        changes: [{ path: 'spec.replicas', before: 1, after: 3 }],
      }),
    ]);
    const again = await request(server)
      .post('/api/modelfleet/models/default/chat/scale')
      .set('Authorization', auth)
      .send({ replicas: 3 });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const other = await request(server)
      .post('/api/modelfleet/models/default/chat/hibernate')
      .set('Authorization', auth);
    expect(other.status).toBe(409);
    expect(other.body.error.message).toMatch(/another action on this model/);

    const approved = await request(server)
      .post(`/api/modelfleet/actions/${first.body.id}/approve`)
      .set('Authorization', auth);
    expect(approved.status).toBe(200);
    expect(approved.body.approvedBy).toBe('user:default/jane');
    await until(
      async () =>
        (
          await request(server)
            .get(`/api/modelfleet/actions/${first.body.id}`)
            .set('Authorization', auth)
        ).body,
      a => a.state === 'done',
    );
    expect(
      (cluster.workload({ ...workload, name: 'chat' }).spec as any).replicas,
    ).toBe(3);
    const cancel = await request(server)
      .post(`/api/modelfleet/actions/${first.body.id}/cancel`)
      .set('Authorization', auth);
    expect(cancel.status).toBe(409);
  });

  it('answers a repeated request with the same Idempotency-Key with the action it made, even after it ended', async () => {
    const { server } = await start();
    const auth = mockCredentials.user.header('user:default/jane');
    const post = () =>
      request(server)
        .post('/api/modelfleet/models/default/sdxl/hibernate')
        .set('Authorization', auth)
        .set('Idempotency-Key', 'retry-42');
    const first = await post();
    expect(first.status).toBe(201);
    await until(
      async () =>
        (
          await request(server)
            .get(`/api/modelfleet/actions/${first.body.id}`)
            .set('Authorization', auth)
        ).body,
      a => a.state === 'done',
    );
    const again = await post();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, state: 'done' });
    const bad = await request(server)
      .post('/api/modelfleet/models/default/sdxl/hibernate')
      .set('Authorization', auth)
      .set('Idempotency-Key', 'no spaces');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^Idempotency-Key:/);
  });

  it('names the bad field of a request', async () => {
    const { server } = await start();
    const auth = mockCredentials.user.header('user:default/jane');
    const cases: Array<[string, unknown, RegExp]> = [
      [
        '/models/default/chat/scale',
        { replicas: 65 },
        /^replicas: must be a whole number from 0 to 64/,
      ],
      ['/models/default/chat/scale', { replicas: '2' }, /^replicas:/],
      ['/models/default/chat/scale', {}, /^replicas:/],
      [
        '/models/default/chat/hibernate',
        { replicas: 1 },
        /^replicas: is not a field of a hibernate request/,
      ],
      ['/models/default/chat/wake', { reason: 7 }, /^reason: must be a string/],
      ['/models/default/chat/wake', [1], /^body: must be a JSON object/],
      ['/models/de%20fault/chat/wake', {}, /^namespace:/],
    ];
    for (const [path, body, message] of cases) {
      const res = await request(server)
        .post(`/api/modelfleet${path}`)
        .set('Authorization', auth)
        .send(body as object);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    const states = await request(server)
      .get('/api/modelfleet/actions?state=sleeping')
      .set('Authorization', auth);
    expect(states.status).toBe(400);
    expect(states.body.error.message).toMatch(/^state: must be one of planned/);
    const id = await request(server)
      .post('/api/modelfleet/actions/x/approve')
      .set('Authorization', auth);
    expect(id.status).toBe(400);
    const unknown = await request(server)
      .get('/api/modelfleet/models/default/nope/capabilities')
      .set('Authorization', auth);
    expect(unknown.status).toBe(404);
  });

  it('checks modelfleet.model.hibernate and modelfleet.recommendation.apply', async () => {
    const { server, cluster } = await start({ allow: false });
    const auth = mockCredentials.user.header('user:default/jane');
    const caps = await request(server)
      .get('/api/modelfleet/models/default/sdxl/capabilities')
      .set('Authorization', auth);
    expect(caps.status).toBe(200);
    expect(caps.body).toMatchObject({
      hibernate: {
        allowed: false,
        reason:
          'You need the modelfleet.model.hibernate permission on this model (its team and the platform teams have it)',
      },
      scale: { allowed: false },
      approve: { allowed: false },
    });
    const res = await request(server)
      .post('/api/modelfleet/models/default/sdxl/hibernate')
      .set('Authorization', auth);
    expect(res.status).toBe(403);
    // Across models the list holds only what the caller may see.
    const list = await request(server)
      .get('/api/modelfleet/actions')
      .set('Authorization', auth);
    expect(list.status).toBe(200);
    expect(list.body.actions).toEqual([]);
    expect(
      (
        await request(server)
          .get('/api/modelfleet/actions?entity=model:default/sdxl')
          .set('Authorization', auth)
      ).status,
    ).toBe(403);
    expect(cluster.changes.size).toBe(0);
  });
});
