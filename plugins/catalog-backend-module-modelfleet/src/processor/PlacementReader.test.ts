import { mockServices } from '@backstage/backend-test-utils';
import { PlacementReader } from './PlacementReader';

function reader(answers: Array<() => Response>) {
  let now = 0;
  const calls: string[] = [];
  const logger = mockServices.logger.mock();
  const r = new PlacementReader({
    discovery: mockServices.discovery.mock({
      getBaseUrl: async () => 'http://backend/api/modelfleet',
    }),
    auth: mockServices.auth(),
    logger,
    maxAgeMs: 60_000,
    now: () => now,
    fetch: (async (url: string) => {
      calls.push(url);
      return answers.shift()!();
    }) as unknown as typeof fetch,
  });
  return { r, calls, logger, at: (t: number) => (now = t) };
}

const json =
  (body: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(body), { status });

describe('PlacementReader', () => {
  it('reads the placements once per age for every entity, and keeps the last answer while the backend fails', async () => {
    const { r, calls, logger, at } = reader([
      json({
        items: [
          { entityRef: 'model:default/Chat', pools: ['gpupool:default/c1.l4'] },
          { entityRef: 'model:default/bad', pools: [42] },
        ],
      }),
      json({ error: 'x' }, 503),
      json({ items: [] }),
    ]);
    await expect(r.poolsOf('model:default/chat')).resolves.toEqual([
      'gpupool:default/c1.l4',
    ]);
    await expect(r.poolsOf('model:default/bad')).resolves.toBeUndefined();
    expect(calls).toEqual(['http://backend/api/modelfleet/placements']);
    at(61_000);
    await expect(r.poolsOf('model:default/chat')).resolves.toEqual([
      'gpupool:default/c1.l4',
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('GET /placements answered 503'),
    );
    at(122_000);
    await expect(r.poolsOf('model:default/chat')).resolves.toBeUndefined();
    expect(calls).toHaveLength(3);
  });
});
