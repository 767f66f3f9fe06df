import { ResponseError } from '@backstage/errors';
import { json, stubbedClient as client } from '../__testUtils__/client';
import { savingsLedger } from '../__testUtils__/savingsFixtures';

const BASE = 'http://backend/api/modelfleet';

describe('ModelFleetClient', () => {
  describe('savings', () => {
    it('reads the ledger with the period, team and entity filters', async () => {
      const ledger = savingsLedger();
      const { client: c, fetch } = client(() => json(ledger));
      await expect(c.getSavings()).resolves.toEqual(ledger);
      expect(fetch).toHaveBeenLastCalledWith(`${BASE}/savings`);
      await c.getSavings({
        from: '2026-10-01',
        to: '2026-12-05',
        team: 'group:default/search-team',
      });
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/savings?from=2026-10-01&to=2026-12-05&team=group%3Adefault%2Fsearch-team`,
      );
      // One day: from and to are both inclusive.
      await c.getSavings({
        from: '2026-12-05',
        to: '2026-12-05',
        entity: ' model:default/search-reranker ',
      });
      expect(fetch).toHaveBeenLastCalledWith(
        `${BASE}/savings?from=2026-12-05&to=2026-12-05&entity=model%3Adefault%2Fsearch-reranker`,
      );
    });

    it('checks the query before sending it, naming the field', async () => {
      const { client: c, fetch } = client(() => json(savingsLedger()));
      await expect(c.getSavings({ from: '2026-13-01' })).rejects.toThrow(
        'from must be a day as YYYY-MM-DD, got "2026-13-01"',
      );
      await expect(c.getSavings({ to: 'yesterday' })).rejects.toThrow(
        'to must be a day as YYYY-MM-DD, got "yesterday"',
      );
      await expect(
        c.getSavings({ from: '2026-12-05', to: '2026-12-04' }),
      ).rejects.toThrow(
        'from (2026-12-05) must not be after to (2026-12-04), which is inclusive',
      );
      await expect(
        c.getSavings({ from: '2025-01-01', to: '2026-02-05' }),
      ).rejects.toThrow(
        'to must be within 400 days of from, both inclusive, got 401 days',
      );
      await expect(c.getSavings({ team: ' ' })).rejects.toThrow(
        'team of the savings must be an entity ref, got " "',
      );
      await expect(c.getSavings({ entity: '' })).rejects.toThrow(
        'entity of the savings must be an entity ref, got ""',
      );
      expect(fetch).not.toHaveBeenCalled();
      // 400 days is the most.
      await c.getSavings({ from: '2025-01-01', to: '2026-02-04' });
      expect(fetch).toHaveBeenCalledTimes(1);
    });

    it("surfaces the backend's refusal as a ResponseError with its status", async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'modelfleet.cost.read is not allowed on group:default/x',
            },
            response: { statusCode: 403 },
          },
          403,
        ),
      );
      const error = await c
        .getSavings({ team: 'group:default/x' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
    });
  });
});
