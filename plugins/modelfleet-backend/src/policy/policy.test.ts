import { ConfigReader } from '@backstage/config';
import { BUILTIN_POLICY, effectivePolicy } from './effectivePolicy';
import { readPolicyConfig } from './policyConfig';
import { PolicyService } from './PolicyService';

const read = (policies: unknown) =>
  readPolicyConfig(new ConfigReader({ modelfleet: { policies } } as any));

const config = {
  defaults: {
    monthlyBudgetUsd: 20000,
    allowedGpuTypes: ['L4', 'A10G', 'A100-80GB'],
    hibernation: { idleMinutes: 45 },
    maintenanceWindows: [
      { name: 'patching', start: '0 2 * * 6', end: '0 6 * * 6' },
    ],
  },
  teams: {
    'search-team': {
      monthlyBudgetUsd: 8000,
      spot: 'prefer',
      hibernation: {
        mode: 'enforce',
        schedules: [
          {
            name: 'business-hours',
            start: '0 8 * * 1-5',
            end: '0 18 * * 1-5',
            timezone: 'Europe/Berlin',
            minReplicas: 1,
          },
        ],
      },
    },
  },
};

describe('readPolicyConfig', () => {
  it('accepts an absent section', () => {
    expect(readPolicyConfig(new ConfigReader({}))).toEqual({});
  });

  it('accepts a full config and defaults window time zones to UTC', () => {
    const parsed = read(config);
    expect(parsed.defaults?.maintenanceWindows?.[0].timezone).toBe('UTC');
  });

  it.each([
    [{ defaults: { spot: 'always' } }, 'modelfleet.policies.defaults.spot'],
    [
      { defaults: { maxOnDemandShare: 1.5 } },
      'modelfleet.policies.defaults.maxOnDemandShare',
    ],
    [
      { teams: { a: { hibernation: { mode: 'sometimes' } } } },
      'modelfleet.policies.teams.a.hibernation.mode',
    ],
    [
      { teams: { a: { hibernation: { minWarmReplicas: -1 } } } },
      'modelfleet.policies.teams.a.hibernation.minWarmReplicas',
    ],
    [
      { teams: { a: { hibernation: { coldStartPenaltyMinutes: -5 } } } },
      'modelfleet.policies.teams.a.hibernation.coldStartPenaltyMinutes',
    ],
    [
      { defaults: { hibernation: { coldStartPenaltyMinutes: '10m' } } },
      'modelfleet.policies.defaults.hibernation.coldStartPenaltyMinutes',
    ],
    [
      { defaults: { hibernation: { sleepWakeSeconds: 0 } } },
      'modelfleet.policies.defaults.hibernation.sleepWakeSeconds',
    ],
    [
      { teams: { a: { hibernation: { sleepWakeSeconds: 3600 } } } },
      'modelfleet.policies.teams.a.hibernation.sleepWakeSeconds',
    ],
    [
      { defaults: { arbitrage: { minSavingsPercent: 150 } } },
      'modelfleet.policies.defaults.arbitrage.minSavingsPercent',
    ],
    [
      {
        defaults: {
          maintenanceWindows: [
            { name: 'x', start: 'every day', end: '0 6 * * 6' },
          ],
        },
      },
      'modelfleet.policies.defaults.maintenanceWindows.0.start',
    ],
    [
      {
        defaults: {
          maintenanceWindows: [
            {
              name: 'x',
              start: '0 2 * * 6',
              end: '0 6 * * 6',
              timezone: 'Mars/Olympus',
            },
          ],
        },
      },
      'modelfleet.policies.defaults.maintenanceWindows.0.timezone',
    ],
    [
      { defaults: { allowedGpuTypes: [] } },
      'modelfleet.policies.defaults.allowedGpuTypes',
    ],
    [
      { teams: { a: { consolidation: { maxDisruptedPods: 1.5 } } } },
      'modelfleet.policies.teams.a.consolidation.maxDisruptedPods',
    ],
    [
      { defaults: { consolidation: { maxDisruptedPercent: 101 } } },
      'modelfleet.policies.defaults.consolidation.maxDisruptedPercent',
    ],
    [{ defaults: { dryRun: 'no' } }, 'modelfleet.policies.defaults.dryRun'],
    [{ defaults: { spto: 'allow' } }, "Unrecognized key(s) in object: 'spto'"],
  ])('rejects %j naming %s', (policies, expected) => {
    expect(() => read(policies)).toThrow(expected);
  });

  it.each([
    ['{"__proto__":{"polluted":true}}', 'modelfleet.policies.__proto__'],
    [
      '{"teams":{"x":{"__proto__":{"dryRun":false}}}}',
      'modelfleet.policies.teams.x.__proto__',
    ],
    [
      '{"teams":{"x":{"hibernation":{"__proto__":{"mode":"enforce"}}}}}',
      'modelfleet.policies.teams.x.hibernation.__proto__',
    ],
    [
      '{"teams":{"x":{"__proto__":1}}}',
      'modelfleet.policies.teams.x.__proto__',
    ],
    [
      '{"defaults":{"maintenanceWindows":[{"__proto__":{"name":"w","start":"0 2 * * 6","end":"0 6 * * 6"}}]}}',
      'modelfleet.policies.defaults.maintenanceWindows[0].__proto__',
    ],
    // A key the Config API cannot address: found by the value as read.
    [
      '{"teams":{"a.b":{"__proto__":{"dryRun":false}}}}',
      'modelfleet.policies.teams.a.b.__proto__',
    ],
  ])(
    'refuses the __proto__ key of %s, naming it rather than its children',
    (json, path) => {
      const error = (() => {
        try {
          read(JSON.parse(json));
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(error?.message).toBe(
        `Invalid ModelFleet policy in app-config:\n  ${path}: unknown key`,
      );
    },
  );

  it('lists every problem at once', () => {
    expect(() => read({ defaults: { spot: 'x', dryRun: 1 } })).toThrow(
      /defaults\.spot[\s\S]*defaults\.dryRun/,
    );
  });
});

describe('effectivePolicy', () => {
  it('is the built-in policy when nothing is configured', () => {
    const { policy, sources } = effectivePolicy({}, null);
    expect(policy).toEqual(BUILTIN_POLICY);
    expect(policy.dryRun).toBe(true);
    expect(new Set(Object.values(sources))).toEqual(new Set(['builtin']));
    expect(Object.keys(sources).sort()).toEqual([
      'allowedGpuTypes',
      'arbitrage.maxMigrationsPerDay',
      'arbitrage.minSavingsPercent',
      'arbitrage.mode',
      'arbitrage.onDemandBaseReplicas',
      'arbitrage.spreadAcrossClusters',
      'consolidation.maxDisruptedPercent',
      'consolidation.maxDisruptedPods',
      'dryRun',
      'hibernation.coldStartPenaltyMinutes',
      'hibernation.idleMinutes',
      'hibernation.minWarmReplicas',
      'hibernation.mode',
      'hibernation.schedules',
      'hibernation.sleepWakeSeconds',
      'maintenanceWindows',
      'maxOnDemandShare',
      'monthlyBudgetUsd',
      'spot',
    ]);
  });

  it('layers team over defaults over built-in, recording each source', () => {
    const { policy, sources } = effectivePolicy(read(config), 'search-team');
    expect(policy.monthlyBudgetUsd).toBe(8000);
    expect(sources.monthlyBudgetUsd).toBe(
      'modelfleet.policies.teams.search-team.monthlyBudgetUsd',
    );
    expect(policy.allowedGpuTypes).toEqual(['L4', 'A10G', 'A100-80GB']);
    expect(sources.allowedGpuTypes).toBe(
      'modelfleet.policies.defaults.allowedGpuTypes',
    );
    expect(policy.spot).toBe('prefer');
    // Nested values merge key by key.
    expect(policy.hibernation.mode).toBe('enforce');
    expect(sources['hibernation.mode']).toBe(
      'modelfleet.policies.teams.search-team.hibernation.mode',
    );
    expect(policy.hibernation.idleMinutes).toBe(45);
    expect(policy.hibernation.coldStartPenaltyMinutes).toBe(10);
    expect(sources['hibernation.idleMinutes']).toBe(
      'modelfleet.policies.defaults.hibernation.idleMinutes',
    );
    expect(policy.hibernation.minWarmReplicas).toBe(0);
    expect(sources['hibernation.minWarmReplicas']).toBe('builtin');
    expect(policy.hibernation.schedules[0].timezone).toBe('Europe/Berlin');
    expect(policy.dryRun).toBe(true);
  });

  it('layers a team’s consolidation budget over the defaults key by key', () => {
    const { policy, sources } = effectivePolicy(
      read({
        defaults: { consolidation: { maxDisruptedPercent: 20 } },
        teams: { 'search-team': { consolidation: { maxDisruptedPods: 2 } } },
      }),
      'search-team',
    );
    expect(policy.consolidation).toEqual({
      maxDisruptedPods: 2,
      maxDisruptedPercent: 20,
    });
    expect(sources['consolidation.maxDisruptedPods']).toBe(
      'modelfleet.policies.teams.search-team.consolidation.maxDisruptedPods',
    );
    expect(BUILTIN_POLICY.consolidation).toEqual({
      maxDisruptedPods: null,
      maxDisruptedPercent: 10,
    });
  });

  it('does not let one team see another team’s overrides or mutate the built-in policy', () => {
    const parsed = read(config);
    effectivePolicy(parsed, 'search-team');
    const other = effectivePolicy(parsed, 'vision-team');
    expect(other.policy.monthlyBudgetUsd).toBe(20000);
    expect(other.policy.spot).toBe('allow');
    expect(BUILTIN_POLICY.hibernation.mode).toBe('recommend');
  });
});

describe('effectivePolicy of a team name that is an Object property', () => {
  it('reads only configured teams, never inherited ones', () => {
    const teams = Object.create({ ghost: { dryRun: false } });
    expect(effectivePolicy({ teams }, 'ghost').policy.dryRun).toBe(true);
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(effectivePolicy(read(config), name).policy).toEqual(
        effectivePolicy(read(config), null).policy,
      );
    }
  });
});

describe('PolicyService', () => {
  const service = new PolicyService(read(config));

  it('accepts a name or a Group ref', () => {
    expect(service.effective('search-team').team).toBe(
      'group:default/search-team',
    );
    expect(service.effective('group:default/search-team').policy.spot).toBe(
      'prefer',
    );
    expect(service.effective().team).toBeNull();
  });

  it.each(['\ud800', 'search team', 'group:default/a/b', 'group:Def ault/x'])(
    'rejects %j, a ref with characters no entity ref has, naming the parameter',
    team => {
      expect(() => service.effective(team)).toThrow(
        /^team: must be an entity reference/,
      );
    },
  );

  it('rejects refs to other kinds, naming the parameter', () => {
    expect(() => service.effective('user:default/guest')).toThrow(
      /^team: .* must refer to a Group/,
    );
  });
});
