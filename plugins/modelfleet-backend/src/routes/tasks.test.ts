import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { createTasksRouter } from './tasks';

const PLATFORM = 'user:default/pia';
const MEMBER = 'user:default/sam';

function app(running = new Set<string>()) {
  const triggered: string[] = [];
  const router = createTasksRouter({
    httpAuth: mockServices.httpAuth(),
    permissions: policyPermissions({
      entities: [],
      teamsOf: {
        [PLATFORM]: ['group:default/platform-team'],
        [MEMBER]: ['group:default/search-team'],
      },
    }),
    tasks: {
      has: id =>
        ['modelfleet-showback', 'modelfleet-cluster-sync'].includes(id),
      async trigger(id) {
        if (running.has(id)) throw new ConflictError(`task ${id} is running`);
        triggered.push(id);
      },
    },
  });
  return {
    triggered,
    server: express().use(express.json()).use(router).use(mockErrorHandler()),
  };
}

describe('POST /tasks/:id/run', () => {
  it("runs a loop now for a platform team's member", async () => {
    const { server, triggered } = app();
    const res = await request(server)
      .post('/tasks/modelfleet-showback/run')
      .set('Authorization', mockCredentials.user.header(PLATFORM));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: 'modelfleet-showback',
      alreadyRunning: false,
      message: expect.stringContaining('modelfleet-showback runs now'),
    });
    expect(triggered).toEqual(['modelfleet-showback']);
  });

  it("is a platform engineer's: another team's member gets 403 and nothing runs", async () => {
    const { server, triggered } = app();
    const res = await request(server)
      .post('/tasks/modelfleet-showback/run')
      .set('Authorization', mockCredentials.user.header(MEMBER));
    expect(res.status).toBe(403);
    expect(triggered).toEqual([]);
  });

  it('names the id it does not know or cannot read, and lets a running loop go on', async () => {
    const { server } = app(new Set(['modelfleet-cluster-sync']));
    const auth = mockCredentials.user.header(PLATFORM);
    const unknown = await request(server)
      .post('/tasks/modelfleet-nothing/run')
      .set('Authorization', auth);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(
      /^id: no loop 'modelfleet-nothing'/,
    );
    const bad = await request(server)
      .post('/tasks/Robert%27);DROP/run')
      .set('Authorization', auth);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^id: must be a loop's id/);
    const busy = await request(server)
      .post('/tasks/modelfleet-cluster-sync/run')
      .set('Authorization', auth);
    expect(busy.status).toBe(202);
    expect(busy.body).toMatchObject({
      alreadyRunning: true,
      message: expect.stringContaining('running already'),
    });
  });
});
