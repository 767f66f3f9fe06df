import { ResponseError } from '@backstage/errors';
import { json, stubbedClient as client } from '../__testUtils__/client';
import { arbitrageReport } from '../__testUtils__/arbitrageFixtures';

describe('ModelFleetClient', () => {
  describe('model arbitrage', () => {
    const report = arbitrageReport();

    it("reads a model's what-if, its path encoded, and checks the model first", async () => {
      const { client: c, fetch } = client(() => json(report));
      await expect(
        c.getModelArbitrage({ namespace: 'search', name: 'llama-3-1-8b-chat' }),
      ).resolves.toEqual(report);
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/models/search/llama-3-1-8b-chat/arbitrage',
      );
      await c.getModelArbitrage({ namespace: 'team a', name: 'm/1' });
      expect(fetch).toHaveBeenLastCalledWith(
        'http://backend/api/modelfleet/models/team%20a/m%2F1/arbitrage',
      );
      fetch.mockClear();
      await expect(
        c.getModelArbitrage({ namespace: 'a', name: '' }),
      ).rejects.toThrow('name of the model must not be empty');
      expect(fetch).not.toHaveBeenCalled();
    });

    it('surfaces a 403 from the route as a ResponseError', async () => {
      const { client: c } = client(() =>
        json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'modelfleet.cost.read is not allowed on model:a/b',
            },
            response: { statusCode: 403 },
          },
          403,
        ),
      );
      const error = await c
        .getModelArbitrage({ namespace: 'a', name: 'b' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
    });
  });
});
