import {
  alwaysOnDemandPolicy,
  cheapestSpotPolicy,
  spotHedgePolicy,
} from './spotBaselines';
import { PoolRun, ServingPool, SpotServingInput } from './spotTypes';

const spot = (zone: string, usdPerHour: number): ServingPool => ({
  id: `spot/${zone}`,
  cloud: 'aws',
  region: zone.slice(0, -1),
  zone,
  capacity: 'spot',
  usdPerHour,
});
const od: ServingPool = {
  id: 'od',
  cloud: 'aws',
  region: 'us-east-1',
  capacity: 'on-demand',
  usdPerHour: 3,
};
const pools = [
  spot('us-east-1a', 0.3),
  spot('us-east-1b', 0.4),
  spot('us-east-1c', 0.5),
  od,
];
const run = (x: Partial<PoolRun>): PoolRun => ({
  ready: 0,
  starting: 0,
  noticed: 0,
  preemptions: [],
  failures: [],
  ...x,
});
const input = (x: Partial<SpotServingInput>): SpotServingInput => ({
  now: 1000,
  required: 2,
  pools,
  runs: {},
  policy: { maxOnDemandShare: 1, baseOnDemandReplicas: 0 },
  ...x,
});

describe('baselines', () => {
  it('always on-demand puts every replica on on-demand', () => {
    expect(alwaysOnDemandPolicy().decide(input({})).targets).toMatchObject({
      od: 2,
    });
  });

  it('cheapest spot puts every replica on the cheapest pool that takes it', () => {
    const p = cheapestSpotPolicy();
    expect(p.decide(input({})).targets).toMatchObject({
      'spot/us-east-1a': 2,
      od: 0,
    });
    const refused = p.decide(
      input({ runs: { 'spot/us-east-1a': run({ failures: [1000] }) } }),
    );
    expect(refused.targets).toMatchObject({ 'spot/us-east-1b': 2, od: 0 });
  });

  it('SpotHedge-like spreads required + 1 over unused zones, cheapest first', () => {
    const d = spotHedgePolicy().decide(input({}));
    expect(d.targets).toMatchObject({
      'spot/us-east-1a': 1,
      'spot/us-east-1b': 1,
      'spot/us-east-1c': 1,
      // Dynamic fallback: spot wanted − spot Ready, at most the need.
      od: 2,
    });
  });

  it('SpotHedge-like falls back for spot not Ready and leaves a preempted zone', () => {
    const p = spotHedgePolicy();
    const d = p.decide(
      input({
        runs: {
          'spot/us-east-1a': run({ noticed: 1, preemptions: [1000] }),
          'spot/us-east-1b': run({ ready: 1, lastReadyAt: 500 }),
          'spot/us-east-1c': run({ ready: 1, lastReadyAt: 500 }),
        },
      }),
    );
    // us-east-1a is preempted: the replacement goes to an active zone.
    expect(d.targets['spot/us-east-1a']).toBe(0);
    expect(d.targets['spot/us-east-1b'] + d.targets['spot/us-east-1c']).toBe(3);
    expect(d.targets.od).toBe(1);
  });
});
