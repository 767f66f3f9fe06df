import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { NOW, start } from '../recommendations/__testUtils__/routeFixture';
import { createRecommendationsTask } from '../recommendations/task';

jest.setTimeout(60_000);

const sam = mockCredentials.user.header('user:default/sam');
const pat = mockCredentials.user.header('user:default/pat');
const nobody = mockCredentials.user.header('user:default/nobody');

describe('recommendations routes', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'lists every kind by saving for a platform team, and only their own to a team, %p',
    async id => {
      const { server, planned } = await start(id, databases);
      const all = await request(server)
        .get('/recommendations')
        .set('Authorization', pat);
      expect(all.status).toBe(200);
      expect(
        all.body.items.map((r: any) => [
          r.kind,
          r.subject.modelRef ?? r.subject.poolRef,
        ]),
      ).toEqual([
        // 3 of 4 replicas of $2,190 a month: $6,570.
        ['rightsizing', 'model:default/reranker'],
        ['empty-capacity', 'gpupool:default/c1.empty'],
        ['hibernation', 'model:default/sdxl'],
      ]);
      const [rs, empty, hib] = all.body.items;
      expect(Math.round(rs.monthlySavingUsd)).toBe(6570);
      expect(rs).toMatchObject({
        state: 'open',
        source: { option: 'fewer-replicas', replicas: 1 },
        subject: { teamRef: 'group:default/search-team' },
        applicable: { allowed: true },
      });
      expect(Math.round(empty.monthlySavingUsd)).toBe(
        Math.round((2600 / 30) * (365 / 12)),
      );
      expect(hib.source).toEqual({
        type: 'action',
        actionId: planned.id,
        actionKind: 'hibernate',
      });
      expect(Math.round(hib.monthlySavingUsd)).toBe(
        Math.round(20 * (365 / 12)),
      );
      expect(all.body.notes.join(' ')).toMatch(
        /consolidation: no cluster connector reports its GPU nodes/,
      );

      const own = await request(server)
        .get('/recommendations')
        .set('Authorization', sam);
      expect(own.body.items.map((r: any) => r.kind)).toEqual(['rightsizing']);
      const team = await request(server)
        .get('/recommendations?team=search-team')
        .set('Authorization', sam);
      expect(team.body.items).toHaveLength(1);
      const other = await request(server)
        .get('/recommendations?entity=model:default/sdxl')
        .set('Authorization', sam);
      expect(other.status).toBe(403);
      const none = await request(server)
        .get('/recommendations')
        .set('Authorization', nobody);
      // No team: a view with nothing in it, as the fleet cost report gives.
      expect(none.status).toBe(200);
      expect(none.body.items).toEqual([]);
    },
  );

  it.each(databases.eachSupportedId())(
    'remembers a dismissal and a snooze per person, and restores them, %p',
    async id => {
      const { server } = await start(id, databases);
      const [rs] = (
        await request(server).get('/recommendations').set('Authorization', sam)
      ).body.items;
      const dismissed = await request(server)
        .post(`/recommendations/${rs.id}/dismiss`)
        .set('Authorization', sam);
      expect(dismissed.status).toBe(200);
      expect(dismissed.body.state).toBe('dismissed');
      const after = await request(server)
        .get('/recommendations')
        .set('Authorization', sam);
      expect(after.body.items).toEqual([]);
      // Pat's view is Pat's own.
      const patView = await request(server)
        .get('/recommendations')
        .set('Authorization', pat);
      expect(patView.body.items.map((r: any) => r.id)).toContain(rs.id);

      const snoozed = await request(server)
        .post(`/recommendations/${rs.id}/snooze`)
        .set('Authorization', sam)
        .send({ days: 7 });
      expect(snoozed.body).toMatchObject({
        state: 'snoozed',
        snoozedUntil: '2026-12-13T12:00:00.000Z',
      });
      const listed = await request(server)
        .get('/recommendations?state=snoozed,dismissed')
        .set('Authorization', sam);
      expect(listed.body.items.map((r: any) => r.state)).toEqual(['snoozed']);

      const restored = await request(server)
        .post(`/recommendations/${rs.id}/restore`)
        .set('Authorization', sam);
      expect(restored.body.state).toBe('open');
    },
  );

  it.each(databases.eachSupportedId())(
    'sends new recommendations worth more than the amount to their teams once, from the scheduled pass, %p',
    async id => {
      const { recommendations, states } = await start(id, databases);
      const send = jest.fn(async () => {});
      const task = createRecommendationsTask({
        recommendations,
        store: states,
        notifications: { send },
        settings: {
          schedule: { frequency: { minutes: 15 }, timeout: { minutes: 10 } },
          notifyAboveUsd: 1000,
        },
        now: () => NOW,
      });
      const detail = await task.run({ logger: mockServices.logger.mock() });
      expect(detail).toBe(
        // $6,570 + $2,600 ÷ 30 days × 365/12 + $20 × 365/12; sdxl has no
        // metrics, and no cluster reports its nodes for consolidation (two
        // notes).
        '3 recommendation(s) worth $9,814 a month; 1 sent to their teams; 2 note(s)',
      );
      // Only the reranker's: sdxl's $608 is under $1,000, and the empty
      // pool has no team.
      expect(send).toHaveBeenCalledTimes(1);
      expect(send.mock.calls[0]).toMatchObject([
        { recipients: { entityRef: 'group:default/search-team' } },
      ]);
      await task.run({ logger: mockServices.logger.mock() });
      expect(send).toHaveBeenCalledTimes(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'names the field of bad input and never answers 500, %p',
    async id => {
      const { server } = await start(id, databases);
      const [rs] = (
        await request(server).get('/recommendations').set('Authorization', sam)
      ).body.items;
      const cases: Array<[string, object | undefined, RegExp, number?]> = [
        ['/recommendations/nope/dismiss', undefined, /^id: /],
        [`/recommendations/${rs.id}/snooze`, {}, /^until: give either/],
        [
          `/recommendations/${rs.id}/snooze`,
          { days: 0 },
          /^days: must be a whole number/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { days: 2, until: 'x' },
          /^until: give either/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { until: 'tomorrow' },
          /^until: must be an ISO 8601/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { until: '2026-01-01T00:00:00Z' },
          /^until: must be in the future/,
        ],
        [
          `/recommendations/${rs.id}/snooze`,
          { for: 3 },
          /^for: is not a field/,
        ],
        [`/recommendations/${rs.id}/dismiss`, { x: 1 }, /^x: is not a field/],
        [
          '/recommendations/rightsizing-0000000000000000/apply',
          undefined,
          /no recommendation with id/,
          404,
        ],
      ];
      for (const [path, body, message, status] of cases) {
        const res = await request(server)
          .post(path)
          .set('Authorization', sam)
          .send(body);
        expect([path, res.status]).toEqual([path, status ?? 400]);
        expect(res.body.error.message).toMatch(message);
      }
      for (const [query, message] of [
        [
          'state=gone',
          /^state: must be one or more of open, dismissed, snoozed/,
        ],
        ['entity=:::', /^entity: /],
        ['team=model:default/x', /^team: .*a team is a Group/],
      ] as const) {
        const res = await request(server)
          .get(`/recommendations?${query}`)
          .set('Authorization', sam);
        expect([query, res.status]).toEqual([query, 400]);
        expect(res.body.error.message).toMatch(message);
      }
    },
  );
});
