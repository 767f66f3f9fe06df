import { ActuatorError } from '@modelfleet/plugin-modelfleet-node';
import {
  actuatorErrorOf,
  autoscalingWithMinimum,
  operationName,
  poolLimits,
} from './gkeNodePools';

const REF = { cluster: 'gpu-east', pool: 'a100-pool' };
const perZone = { enabled: true, minNodeCount: 1, maxNodeCount: 3 };

describe('poolLimits', () => {
  it('counts per-zone limits once for a zonal cluster whose pool lists no zones', () => {
    expect(poolLimits({ autoscaling: perZone }, REF, 'us-central1-a')).toEqual({
      form: 'perZone',
      zones: 1,
      min: 1,
      max: 3,
    });
  });

  it('refuses to guess the zones of a regional pool that lists none', () => {
    expect(() =>
      poolLimits({ autoscaling: perZone }, REF, 'us-central1'),
    ).toThrow(
      /gpu-east: node pool a100-pool: GKE lists no zones \(locations\) for the node pool/,
    );
  });

  it('takes total limits over per-zone ones', () => {
    expect(
      poolLimits(
        {
          locations: ['a', 'b'],
          autoscaling: {
            enabled: true,
            totalMinNodeCount: 0,
            totalMaxNodeCount: 5,
          },
        },
        REF,
        'us-central1',
      ),
    ).toEqual({ form: 'total', zones: 2, min: 0, max: 5 });
  });
});

describe('autoscalingWithMinimum', () => {
  it('keeps the autoprovisioning and the location policy', () => {
    const current = {
      ...perZone,
      autoprovisioned: true,
      locationPolicy: 'ANY' as const,
    };
    const limits = poolLimits(
      { locations: ['a', 'b'], autoscaling: current },
      REF,
      'x',
    );
    expect(autoscalingWithMinimum(current, limits, 0, 'w')).toEqual({
      enabled: true,
      autoprovisioned: true,
      locationPolicy: 'ANY',
      minNodeCount: 0,
      maxNodeCount: 3,
    });
  });
});

describe('operationName', () => {
  it('makes a full name of a short one, and keeps a full one', () => {
    const c = { project: 'p-123456', location: 'us-central1', gkeCluster: 'c' };
    expect(operationName(c, 'operation-1')).toBe(
      'projects/p-123456/locations/us-central1/operations/operation-1',
    );
    expect(operationName(c, 'projects/x/locations/y/operations/z')).toBe(
      'projects/x/locations/y/operations/z',
    );
  });
});

describe('actuatorErrorOf', () => {
  it.each<[unknown, string, boolean]>([
    [
      Object.assign(new Error('socket'), { code: 'ETIMEDOUT' }),
      'timeout',
      true,
    ],
    [
      Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }),
      'unavailable',
      true,
    ],
    [Object.assign(new Error('late'), { code: 4 }), 'timeout', true],
    [Object.assign(new Error('exists'), { code: 6 }), 'conflict', true],
    [
      new Error('Could not load the default credentials.'),
      'unauthorized',
      false,
    ],
  ])('maps %s', (error, code, retryable) => {
    const e = actuatorErrorOf(error, 'gpu-east: node pool a100-pool');
    expect(e).toBeInstanceOf(ActuatorError);
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(retryable);
    expect(e.message).toMatch(/^gpu-east: node pool a100-pool: /);
  });
});
