import { ModelArbitrageOption } from '@modelfleet/plugin-modelfleet-common';
import { pool, workload } from './__testUtils__/reportsFixture';
import { spreadCandidates } from './spotCompanions';

const option = (
  cluster: string,
  name: string,
  monthlyUsd: number,
  over: Partial<ModelArbitrageOption> = {},
): ModelArbitrageOption => ({
  pool: `gpupool:default/${cluster}.${name}`,
  title: `${name} (${cluster})`,
  cluster,
  provider: 'aws',
  region: 'us-east-1',
  capacityType: 'spot',
  monthlyUsd,
  preemptionUsdPerMonth: 0,
  preemptionsPerMonth: 1,
  availability: 0.99,
  riskSource: 'test',
  current: false,
  ...over,
});

const pools = [
  pool('own', { capacityType: 'spot' }),
  pool('a', { capacityType: 'spot' }),
  pool('b', { capacityType: 'spot' }),
  pool('x', { cluster: 'c2', capacityType: 'spot' }),
  pool('y', { cluster: 'c2', capacityType: 'spot' }),
  pool('z', { cluster: 'c3', capacityType: 'spot' }),
];

const names = (c: ReturnType<typeof spreadCandidates>) =>
  c.map(x => `${x.cluster}/${x.name}`);

describe('the spot pools a model spreads over', () => {
  it("takes its own cluster's other spot pools first, cheapest first", () => {
    const options = [
      option('c1', 'own', 100, { current: true }),
      option('c1', 'b', 300),
      option('c1', 'a', 250),
      option('c2', 'x', 50),
      option('c1', 'od', 400, { capacityType: 'on-demand' }),
    ];
    expect(names(spreadCandidates(options, pools, workload, 2))).toEqual([
      'c1/sdxl-on-a',
      'c1/sdxl-on-b',
    ]);
  });

  it('fills from other clusters, cheapest first and one a cluster, when its own has too few', () => {
    const options = [
      option('c1', 'own', 100, { current: true }),
      option('c2', 'y', 90),
      option('c2', 'x', 80),
      option('c3', 'z', 120),
    ];
    expect(names(spreadCandidates(options, pools, workload, 2))).toEqual([
      'c2/sdxl-on-x',
      'c3/sdxl-on-z',
    ]);
    const withOwn = [...options, option('c1', 'a', 500)];
    expect(names(spreadCandidates(withOwn, pools, workload, 2))).toEqual([
      'c1/sdxl-on-a',
      'c2/sdxl-on-x',
    ]);
  });

  it("stays in its cluster when the team's policy keeps it there", () => {
    const options = [option('c2', 'x', 80), option('c1', 'a', 500)];
    expect(names(spreadCandidates(options, pools, workload, 2, false))).toEqual(
      ['c1/sdxl-on-a'],
    );
  });

  it('leaves out options whose pool the fleet does not report', () => {
    const options = [option('c4', 'gone', 10), option('c2', 'x', 80)];
    expect(names(spreadCandidates(options, pools, workload, 2))).toEqual([
      'c2/sdxl-on-x',
    ]);
  });
});
