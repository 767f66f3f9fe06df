import { CostBreakdownItem } from '@modelfleet/plugin-modelfleet-common';
import { holdsPoolCapacity, unallocatedPools } from './unallocatedPools';

const item = (entityRef: string, costUsd: number): CostBreakdownItem => ({
  entityRef,
  costUsd,
  idleUsd: 0,
  unusedUsd: 0,
  gpuHours: 0,
  savedGpuHours: 0,
  savedUsd: 0,
});

describe('unallocatedPools', () => {
  it('is each pool less what its models are charged, largest first, to the cent', () => {
    expect(
      unallocatedPools(
        [
          item('gpupool:default/a.l4', 100),
          item('gpupool:default/b.a100', 2644.004),
          item('gpupool:default/c.t4', 10),
          item('gpupool:default/d.h100', 50.001),
        ],
        [
          // Two groups of models on l4 (say, two teams' rows).
          item('gpupool:default/a.l4', 60),
          item('gpupool:default/a.l4', 30),
          item('gpupool:default/c.t4', 10),
          item('gpupool:default/d.h100', 50),
        ],
      ),
    ).toEqual([
      { entityRef: 'gpupool:default/b.a100', idleUsd: 2644 },
      { entityRef: 'gpupool:default/a.l4', idleUsd: 10 },
    ]);
  });

  it('names no pool when the models are charged all of it', () => {
    expect(unallocatedPools([item('p', 5)], [item('p', 5)])).toEqual([]);
    expect(unallocatedPools([], [item('p', 5)])).toEqual([]);
  });
});

describe('holdsPoolCapacity', () => {
  const platformTeamRef = 'group:default/platform-team';
  it("is the fleet's row unless the platform team pays, then the platform team's", () => {
    const holds = (
      scope: 'fleet' | 'team',
      entityRef: string | null,
      idleCostPolicy: 'not-shared' | 'shared-proportionally' | 'platform-team',
    ) =>
      holdsPoolCapacity({ scope, entityRef, idleCostPolicy, platformTeamRef });
    expect(holds('fleet', null, 'not-shared')).toBe(true);
    expect(holds('fleet', null, 'shared-proportionally')).toBe(true);
    expect(holds('fleet', null, 'platform-team')).toBe(false);
    expect(holds('team', platformTeamRef, 'platform-team')).toBe(true);
    expect(holds('team', 'group:default/search', 'platform-team')).toBe(false);
    expect(holds('team', platformTeamRef, 'not-shared')).toBe(false);
  });
});
