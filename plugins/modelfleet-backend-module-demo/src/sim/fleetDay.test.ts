import { START } from './__testUtils__/apiServer';
import { SimClock } from './clock';
import { startSimulatedFleet } from './fleet';

describe('the simulated demo fleet over a day', () => {
  it('replays traffic and spot reclaims, deterministically', async () => {
    const run = async () => {
      const clock = new SimClock({ mode: 'manual', start: START });
      const fleet = await startSimulatedFleet({ clock });
      for (let h = 0; h < 24; h++) clock.advance(3600_000);
      const stats = fleet.stats();
      await fleet.close();
      return stats;
    };
    const first = await run();
    const byModel = Object.assign({}, ...first.map(c => c.models));
    // Steady LLM traffic is served without cold starts.
    expect(byModel['search/llama-3-1-8b-chat'].requestsServed).toBeGreaterThan(
      10_000,
    );
    // Image models sleep between requests and wake on them.
    const vision = byModel['vision/sdxl-base'];
    expect(vision.readyReplicaSeconds).toBeLessThan(0.9 * 86_400);
    expect(vision.coldStarts).toBeGreaterThan(0);
    // Spot nodes were reclaimed, on-demand ones never.
    const pools = Object.assign({}, ...first.map(c => c.pools));
    expect(
      pools['g6-l4-spot'].spotReclaims + pools.nva10spot.spotReclaims,
    ).toBeGreaterThan(0);
    expect(pools['g5-a10g'].spotReclaims).toBe(0);
    expect(pools['g5-a10g'].nodeSeconds).toBe(2 * 86_400);
    expect(await run()).toEqual(first);
    // (How fast a day runs is a speed goal, not a test's: it is not timed
    // here, so a loaded machine cannot fail it.)
  }, 300_000);
});
