import { ResponseError } from '@backstage/errors';
import { json, stubbedClient as client } from '../__testUtils__/client';
import { recommendation } from '../__testUtils__/recommendationFixtures';

const BASE = 'http://backend/api/modelfleet';

describe('ModelFleetClient', () => {
  describe('recommendations', () => {
    const listed = {
      items: [recommendation()],
      gatheredAt: '2026-12-06T12:00:00.000Z',
      notes: [],
    };

    it('lists them with the entity, team and state filters', async () => {
      const { client: c, fetch } = client(() => json(listed));
      await expect(c.listRecommendations()).resolves.toEqual(listed);
      expect(fetch).toHaveBeenLastCalledWith(`${BASE}/recommendations`);
      await c.listRecommendations({
        entity: 'model:default/search-reranker',
        state: 'open',
      });
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations?entity=model%3Adefault%2Fsearch-reranker&state=open`,
      );
      await c.listRecommendations({
        team: 'group:default/search-team',
        state: ['dismissed', 'snoozed'],
      });
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations?team=group%3Adefault%2Fsearch-team&state=dismissed%2Csnoozed`,
      );
    });

    it('checks the query before sending it, naming the field', async () => {
      const { client: c, fetch } = client(() => json(listed));
      await expect(
        c.listRecommendations({ state: 'hidden' as any }),
      ).rejects.toThrow(
        'state must be one of open, dismissed, snoozed, got "hidden"',
      );
      await expect(c.listRecommendations({ team: ' ' })).rejects.toThrow(
        'team of the recommendations must be an entity ref',
      );
      await expect(c.dismissRecommendation('')).rejects.toThrow(
        'id of the recommendation must not be empty',
      );
      await expect(c.snoozeRecommendation('r-1', { days: 0 })).rejects.toThrow(
        'days must be a whole number from 1 to 365, got 0',
      );
      await expect(
        c.snoozeRecommendation('r-1', { until: 'soon' }),
      ).rejects.toThrow('until must be an ISO 8601 time, got "soon"');
      expect(fetch).not.toHaveBeenCalled();
    });

    it('posts dismiss, snooze, restore and apply to the recommendation, its id encoded', async () => {
      const r = recommendation();
      const applied = {
        recommendationId: r.id,
        actionId: 'a-1',
        actionState: 'planned',
        actionKind: 'scale',
        awaitsApproval: true,
        message:
          "Scaling to 1 replica waits for approval: search-team's policy is dry-run.",
      };
      const { client: c, fetch } = client(url =>
        json(url.endsWith('/apply') ? applied : r),
      );
      await expect(c.dismissRecommendation(r.id)).resolves.toEqual(r);
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations/${r.id}/dismiss`,
        { method: 'POST' },
      );
      await c.snoozeRecommendation('a b', { days: 7 });
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations/a%20b/snooze`,
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{"days":7}',
        },
      );
      await c.snoozeRecommendation(r.id, { until: '2027-01-01T00:00:00Z' });
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations/${r.id}/snooze`,
        expect.objectContaining({ body: '{"until":"2027-01-01T00:00:00Z"}' }),
      );
      await c.restoreRecommendation(r.id);
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations/${r.id}/restore`,
        { method: 'POST' },
      );
      await expect(c.applyRecommendation(r.id)).resolves.toEqual(applied);
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/recommendations/${r.id}/apply`,
        { method: 'POST' },
      );
    });

    it('surfaces a 409 from apply as a ResponseError with its sentence', async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'ConflictError',
              message: 'no action changes a pool’s size yet',
            },
            response: { statusCode: 409 },
          },
          409,
        ),
      );
      const error = await c.applyRecommendation('r-1').catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(409);
      expect(error.body.error.message).toBe(
        'no action changes a pool’s size yet',
      );
    });
  });
});
