import { allocateDay } from './allocate';
import { PoolDayUsage } from './types';
import { totalsOf } from './series';
import { unallocatedOf } from './unallocated';

const pool = (ref: string, nodeHours: number): PoolDayUsage => ({
  poolRef: `gpupool:default/${ref}`,
  capacityType: 'on-demand',
  nodeHours,
  gpuHours: nodeHours,
  unitHours: nodeHours,
  usdPerNodeHour: 2,
  provenance: [],
  demo: false,
});

// A pool of 24 GPU-hours half requested by two teams' models, and an empty
// pool of 10 GPU-hours nobody requested, at $2 a GPU-hour.
const day = (
  idleCostPolicy: 'not-shared' | 'shared-proportionally' | 'platform-team',
) =>
  allocateDay({
    day: '2026-12-01',
    pools: [pool('used', 24), pool('empty', 10)],
    workloads: [
      {
        modelRef: 'model:default/a',
        teamRef: 'group:default/t1',
        poolRef: 'gpupool:default/used',
        unitHours: 8,
        metrics: { busyGpuHours: 2 },
      },
      {
        modelRef: 'model:default/b',
        teamRef: 'group:default/t2',
        poolRef: 'gpupool:default/used',
        unitHours: 4,
      },
      {
        modelRef: 'model:default/orphan',
        teamRef: '',
        poolRef: 'gpupool:default/used',
        unitHours: 0,
      },
    ],
    idleCostPolicy,
    platformTeamRef: 'group:default/platform',
  }).rows;

const fleetAndTeams = (rows: ReturnType<typeof day>) => {
  const fleet = rows.find(r => r.scope === 'fleet')!;
  const teams = rows.filter(r => r.scope === 'team');
  return { fleet, teams };
};

describe('unallocatedOf', () => {
  it('makes team rows plus Unallocated equal the fleet total under every policy', () => {
    for (const policy of [
      'not-shared',
      'shared-proportionally',
      'platform-team',
    ] as const) {
      const { fleet, teams } = fleetAndTeams(day(policy));
      const u = unallocatedOf({
        scope: 'fleet',
        total: fleet,
        rows: teams,
        idleCostPolicy: policy,
        platformTeamRef: 'group:default/platform',
      });
      const sum = (f: 'costUsd' | 'idleUsd' | 'unusedUsd') =>
        teams.reduce((s, t) => s + t[f], 0) + u[f];
      expect(sum('costUsd')).toBeCloseTo(fleet.costUsd);
      expect(sum('idleUsd')).toBeCloseTo(fleet.idleUsd);
      expect(sum('unusedUsd')).toBeCloseTo(fleet.unusedUsd);
    }
  });

  it('names the empty pool and says nobody pays it under shared-proportionally', () => {
    const { fleet, teams } = fleetAndTeams(day('shared-proportionally'));
    const u = unallocatedOf({
      scope: 'fleet',
      total: fleet,
      rows: teams,
      idleCostPolicy: 'shared-proportionally',
    });
    // The used pool's idle $24 is shared by a and b; the empty pool's $20 is nobody's.
    expect(u.costUsd).toBeCloseTo(20);
    expect(u.idleUsd).toBeCloseTo(20);
    expect(u.paidBy).toMatch(/No team pays it.*pool with no models/);
  });

  it('keeps all unallocated capacity off the teams under not-shared', () => {
    const { fleet, teams } = fleetAndTeams(day('not-shared'));
    const u = unallocatedOf({
      scope: 'fleet',
      total: fleet,
      rows: teams,
      idleCostPolicy: 'not-shared',
    });
    // 24 − 12 requested on the used pool, 10 on the empty one: 22 GPU-hours at $2.
    expect(u.idleUsd).toBeCloseTo(44);
    expect(u.costUsd).toBeCloseTo(44);
    expect(u.paidBy).toMatch(/not-shared/);
  });

  it("shows the platform team's charge as its Unallocated row under platform-team", () => {
    const rows = day('platform-team');
    const { fleet, teams } = fleetAndTeams(rows);
    const fleetU = unallocatedOf({
      scope: 'fleet',
      total: fleet,
      rows: teams,
      idleCostPolicy: 'platform-team',
      platformTeamRef: 'group:default/platform',
    });
    expect(fleetU.costUsd).toBe(0);
    expect(fleetU.paidBy).toMatch(/group:default\/platform/);
    const platform = teams.find(t => t.entityRef === 'group:default/platform')!;
    expect(platform.costUsd).toBeCloseTo(44);
    const teamU = unallocatedOf({
      scope: 'team',
      total: platform,
      rows: rows.filter(
        r => r.scope === 'model' && r.teamRef === 'group:default/platform',
      ),
      idleCostPolicy: 'platform-team',
    });
    expect(teamU.costUsd).toBeCloseTo(44);
    expect(teamU.idleUsd).toBeCloseTo(44);
  });

  it('treats sub-cent differences as rounding', () => {
    const total = totalsOf([
      {
        date: '2026-12-01',
        costUsd: 10.001,
        idleUsd: 0,
        unusedUsd: 0,
        gpuHours: 1,
        savedGpuHours: 0,
        savedUsd: 0,
      },
    ]);
    const u = unallocatedOf({
      scope: 'fleet',
      total,
      rows: [{ costUsd: 10, idleUsd: 0, unusedUsd: 0 }],
      idleCostPolicy: 'not-shared',
    });
    expect(u.costUsd).toBe(0);
  });
});
