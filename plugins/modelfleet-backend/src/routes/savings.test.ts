import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { policyPermissions } from '../__testUtils__/policyPermissions';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { SavingsStore } from '../savings/SavingsStore';
import { createSavingsRouter, readSavingsQuery } from './savings';

jest.setTimeout(60_000);

const sam = mockCredentials.user.header('user:default/sam');
const pat = mockCredentials.user.header('user:default/pat');
const nobody = mockCredentials.user.header('user:default/nobody');
const NOW = new Date('2026-12-06T12:00:00Z');
const SEARCH = 'group:default/search-team';
const VISION = 'group:default/vision-team';
const CHAT = 'model:default/chat';
const SDXL = 'model:default/sdxl';

const model = (name: string, team: string): Entity => ({
  apiVersion: 'modelfleet.io/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: { owner: team },
  relations: [{ type: 'ownedBy', targetRef: team }],
});
const group = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
});

const ledgerRow = (
  day: string,
  actionId: string,
  entityRef: string,
  teamRef: string,
  afterUsd: number,
  savedUsd: number,
) => ({
  day,
  source: 'action',
  action_id: actionId,
  kind: 'migrate',
  entity_ref: entityRef,
  team_ref: teamRef,
  pool_ref: 'gpupool:default/c1.y',
  summary: 'Moved from L4 on-demand to L4 spot',
  applied_at: new Date('2026-11-28T06:00:00Z'),
  before_usd: afterUsd + savedUsd,
  after_usd: afterUsd,
  saved_usd: savedUsd,
  hours: 24,
});

const costRow = (
  day: string,
  entityRef: string,
  teamRef: string,
  costUsd: number,
  savedUsd = 0,
) => ({
  day,
  scope: 'model',
  entity_ref: entityRef,
  team_ref: teamRef,
  pool_ref: 'gpupool:default/c1.y',
  cost_usd: costUsd,
  idle_usd: 0,
  gpu_hours: 1,
  saved_usd: savedUsd,
});

async function start(
  id: Parameters<ReturnType<typeof createTestDatabases>['init']>[0],
  databases: ReturnType<typeof createTestDatabases>,
) {
  const knex = await databases.init(id);
  await DatabaseModelFleetStore.fromKnex(knex);
  await knex('modelfleet_savings_daily').insert([
    ledgerRow('2026-11-29', 'a-chat', CHAT, SEARCH, 10, 4),
    ledgerRow('2026-11-30', 'a-chat', CHAT, SEARCH, 10, 5),
    ledgerRow('2026-12-01', 'a-sdxl', SDXL, VISION, 20, 30),
  ]);
  await knex('modelfleet_savings_days').insert({
    day: '2026-12-01',
    written_at: NOW,
  });
  await knex('modelfleet_cost_daily').insert([
    costRow('2026-11-29', CHAT, SEARCH, 12),
    costRow('2026-11-30', CHAT, SEARCH, 12),
    costRow('2026-12-01', SDXL, VISION, 25, 2),
  ]);
  const permissions = policyPermissions({
    entities: [
      model('chat', SEARCH),
      model('sdxl', VISION),
      group('search-team'),
      group('vision-team'),
      group('platform-team'),
    ],
    teamsOf: {
      'user:default/sam': [SEARCH],
      'user:default/pat': ['group:default/platform-team'],
    },
  });
  const server = express()
    .use(
      createSavingsRouter({
        httpAuth: mockServices.httpAuth(),
        permissions,
        store: new SavingsStore(knex),
        now: () => NOW,
      }),
    )
    .use(mockErrorHandler());
  return { server, knex };
}

describe('GET /savings', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    "shows a platform team every model, others their teams' only, and refuses another team's, %p",
    async id => {
      const { server, knex } = await start(id, databases);
      const all = await request(server)
        .get('/savings')
        .set('Authorization', pat);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({
        from: '2026-10-01',
        to: '2026-12-06',
        totals: { afterUsd: 49, savedUsd: 41, beforeUsd: 90 },
        updatedAt: NOW.toISOString(),
      });
      expect(
        all.body.lines.map((l: any) => [
          l.source,
          l.entityRef,
          l.savedUsd,
          l.firstDay,
          l.lastDay,
        ]),
      ).toEqual([
        ['action', SDXL, 30, '2026-12-01', '2026-12-01'],
        // One action's days summed into one line.
        ['action', CHAT, 9, '2026-11-29', '2026-11-30'],
        ['hibernation', SDXL, 2, '2026-12-01', '2026-12-01'],
      ]);
      expect(all.body.months).toEqual([
        { key: '2026-11', afterUsd: 24, savedUsd: 9, beforeUsd: 33 },
        { key: '2026-12', afterUsd: 25, savedUsd: 32, beforeUsd: 57 },
      ]);
      expect(all.body.teams.map((t: any) => t.key)).toEqual([VISION, SEARCH]);
      expect(all.body.method).toMatch(/pool it left/);

      const own = await request(server)
        .get('/savings')
        .set('Authorization', sam);
      expect(own.status).toBe(200);
      expect(own.body.lines.map((l: any) => l.entityRef)).toEqual([CHAT]);
      expect(own.body.totals).toEqual({
        afterUsd: 24,
        savedUsd: 9,
        beforeUsd: 33,
      });
      const team = await request(server)
        .get('/savings?team=search-team&from=2026-11-30&to=2026-11-30')
        .set('Authorization', sam);
      expect(team.body.lines).toMatchObject([
        { entityRef: CHAT, savedUsd: 5, firstDay: '2026-11-30' },
      ]);
      for (const query of ['team=vision-team', `entity=${SDXL}`]) {
        const other = await request(server)
          .get(`/savings?${query}`)
          .set('Authorization', sam);
        expect([query, other.status]).toEqual([query, 403]);
      }
      const none = await request(server)
        .get('/savings')
        .set('Authorization', nobody);
      expect(none.status).toBe(200);
      expect(none.body.lines).toEqual([]);
      expect(none.body.totals.afterUsd).toBe(0);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'names the field of bad input, %p',
    async id => {
      const { server, knex } = await start(id, databases);
      for (const [query, message] of [
        ['from=yesterday', /^from: must be a date as YYYY-MM-DD/],
        ['to=2026-13-01', /^to: must be a date as YYYY-MM-DD/],
        ['from=2026-12-02&to=2026-12-01', /^to: must be on or after from/],
        [
          'from=2025-01-01&to=2026-12-01',
          /^to: the period may span at most 400/,
        ],
        ['from=2026-11-01&from=2026-11-02', /^from: must be given once/],
        ['team=model:default/chat', /^team: must be a Group reference/],
        ['entity=group:default/search-team', /^entity: must be a Model/],
        ['entity=:::', /^entity: /],
      ] as const) {
        const res = await request(server)
          .get(`/savings?${query}`)
          .set('Authorization', pat);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.body.error.message).toMatch(message);
      }
      await knex.destroy();
    },
  );
});

describe('readSavingsQuery', () => {
  it('defaults to the first day of the month two months ago through today', () => {
    expect(readSavingsQuery({}, '2026-01-15')).toEqual({
      from: '2025-11-01',
      to: '2026-01-15',
    });
    expect(readSavingsQuery({ to: '2026-03-31' }, '2026-12-06')).toEqual({
      from: '2026-01-01',
      to: '2026-03-31',
    });
    expect(
      readSavingsQuery({ entity: 'chat', team: 'search-team' }, '2026-12-06'),
    ).toMatchObject({ entityRef: CHAT, teamRef: SEARCH });
  });
});
