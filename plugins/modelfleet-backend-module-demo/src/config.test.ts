import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readDemoConfig } from './config';
import { DEMO_CLUSTERS } from './definition';

const KEY = 'modelfleet.demo.simulator.spot.firstReclaim';

/** The demo's app-config, its three clusters on ports 7101–7103, with `simulator`. */
function config(simulator: JsonObject, clusters = DEMO_CLUSTERS) {
  return new ConfigReader({
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: clusters.map((c, i) => ({
            name: c.name,
            url: `http://127.0.0.1:${7101 + i}`,
            authProvider: 'serviceAccount',
            serviceAccountToken: 'modelfleet-sim-token',
          })),
        },
      ],
    },
    modelfleet: { demo: { enabled: true, simulator } },
  });
}

const withFirstReclaim = (firstReclaim: JsonObject, spot: JsonObject = {}) =>
  config({ spot: { ...spot, firstReclaim } });

describe('readDemoConfig: spot.firstReclaim', () => {
  it('is off by default', () => {
    const demo = readDemoConfig(config({}));
    expect(demo.simulator.spot).toEqual({ reading: 'interruptions' });
    expect(demo.warnings).toEqual([]);
  });

  it('reads a good value, with its optional fields or without', () => {
    const full = {
      cluster: 'demo-aws-use1',
      pool: 'g6e-l40s-spot',
      zone: 'us-east-1a',
      afterSeconds: 240,
      seconds: 900,
    };
    expect(readDemoConfig(withFirstReclaim(full)).simulator.spot).toEqual({
      reading: 'interruptions',
      firstReclaim: full,
    });
    const short = { cluster: 'demo-azure-eastus', pool: 'nva10spot' };
    const demo = readDemoConfig(
      withFirstReclaim(short, { reading: 'preemption' }),
    );
    expect(demo.simulator.spot).toEqual({
      reading: 'preemption',
      firstReclaim: short,
    });
    expect(demo.warnings).toEqual([]);
    // The bounds are allowed.
    expect(
      readDemoConfig(
        withFirstReclaim({ ...short, afterSeconds: 0, seconds: 86400 }),
      ).simulator.spot,
    ).toMatchObject({ firstReclaim: { afterSeconds: 0, seconds: 86400 } });
  });

  it.each<[string, JsonObject, string]>([
    [
      'an unknown cluster',
      { cluster: 'demo-aws-usw2', pool: 'g6-l4-spot' },
      `${KEY}.cluster is 'demo-aws-usw2', and must be a demo cluster: one of demo-aws-use1, demo-gcp-usc1, demo-azure-eastus`,
    ],
    [
      'no cluster',
      { pool: 'g6-l4-spot' },
      `${KEY}.cluster is missing, and must be a demo cluster: one of demo-aws-use1, demo-gcp-usc1, demo-azure-eastus`,
    ],
    [
      'no pool',
      { cluster: 'demo-gcp-usc1' },
      `${KEY}.pool is missing, and must be a spot pool of demo-gcp-usc1: one of g2-l4-spot, a2u-a100-80-spot`,
    ],
    [
      'an on-demand pool',
      { cluster: 'demo-aws-use1', pool: 'g5-a10g' },
      `${KEY}.pool is 'g5-a10g', an on-demand pool of demo-aws-use1, and must be one of its spot pools: g6-l4-spot, g6e-l40s-spot`,
    ],
    [
      "another cluster's pool",
      { cluster: 'demo-aws-use1', pool: 'nva10spot' },
      `${KEY}.pool is 'nva10spot', not a pool of demo-aws-use1, and must be one of its spot pools: g6-l4-spot, g6e-l40s-spot`,
    ],
    [
      "another cluster's zone",
      { cluster: 'demo-aws-use1', pool: 'g6-l4-spot', zone: 'eastus-1' },
      `${KEY}.zone is 'eastus-1', and must be a zone of demo-aws-use1: one of us-east-1a, us-east-1b (or left out, for every zone)`,
    ],
    [
      'a negative afterSeconds',
      { cluster: 'demo-aws-use1', pool: 'g6-l4-spot', afterSeconds: -1 },
      `${KEY}.afterSeconds is -1, and must be a number of seconds from 0 to 86400`,
    ],
    [
      'a seconds over a day',
      { cluster: 'demo-aws-use1', pool: 'g6-l4-spot', seconds: 86401 },
      `${KEY}.seconds is 86401, and must be a number of seconds from 0 to 86400`,
    ],
    [
      'a seconds that is no number',
      { cluster: 'demo-aws-use1', pool: 'g6-l4-spot', seconds: 'long' },
      `${KEY}.seconds is invalid: `,
    ],
    [
      'a pool that is no string',
      { cluster: 'demo-aws-use1', pool: 7 },
      `${KEY}.pool is invalid: `,
    ],
    [
      'an unknown key',
      { cluster: 'demo-aws-use1', pool: 'g6-l4-spot', afterSecond: 60 },
      `${KEY} has unknown key(s) afterSecond; its keys are cluster, pool, zone, afterSeconds, seconds`,
    ],
  ])('refuses %s, naming the key', (_, firstReclaim, message) => {
    expect(() => readDemoConfig(withFirstReclaim(firstReclaim))).toThrow(
      message,
    );
  });

  it('refuses a demo cluster that kubernetes.clusterLocatorMethods does not configure (embedded mode)', () => {
    const c = config(
      {
        spot: {
          firstReclaim: { cluster: 'demo-gcp-usc1', pool: 'g2-l4-spot' },
        },
      },
      DEMO_CLUSTERS.filter(x => x.name !== 'demo-gcp-usc1'),
    );
    expect(() => readDemoConfig(c)).toThrow(
      `${KEY}.cluster is 'demo-gcp-usc1', which kubernetes.clusterLocatorMethods does not configure, and must be one of the demo clusters configured there: demo-aws-use1, demo-azure-eastus`,
    );
  });

  it('is off, with a warning, when spot.reclaims is false', () => {
    const demo = readDemoConfig(
      withFirstReclaim(
        { cluster: 'demo-aws-use1', pool: 'g6-l4-spot' },
        { reclaims: false },
      ),
    );
    expect(demo.simulator.spot).toBe(false);
    expect(demo.warnings).toEqual([
      `${KEY} is off: modelfleet.demo.simulator.spot.reclaims is false, which turns off every spot reclaim`,
    ]);
    // A bad value is refused all the same.
    expect(() =>
      readDemoConfig(
        withFirstReclaim(
          { cluster: 'demo-aws-use1', pool: 'g5-a10g' },
          { reclaims: false },
        ),
      ),
    ).toThrow(`${KEY}.pool is 'g5-a10g'`);
  });

  it('tells how to get it in external mode', () => {
    const demo = readDemoConfig(
      config({
        mode: 'external',
        spot: {
          firstReclaim: {
            cluster: 'demo-aws-use1',
            pool: 'g6e-l40s-spot',
            zone: 'us-east-1a',
          },
        },
      }),
    );
    expect(demo.warnings).toEqual([
      `${KEY} applies in embedded mode only: with yarn sim (mode external), give it --first-reclaim demo-aws-use1/g6e-l40s-spot@us-east-1a:240, or POST /_sim/spot/reclaims`,
    ]);
  });
});
