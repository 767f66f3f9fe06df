import { podStartsOf, selectorQuery } from './pods';

describe('pods of a workload', () => {
  it('writes a selector as the labelSelector query the API server takes', () => {
    expect(
      selectorQuery({
        matchLabels: { 'modelfleet.io/model': 'sdxl-base', app: 'sdxl' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'zone', operator: 'NotIn', values: ['x'] },
          { key: 'gpu', operator: 'Exists' },
        ],
      }),
    ).toBe(
      'modelfleet.io/model=sdxl-base,app=sdxl,tier in (a,b),!canary,zone notin (x),gpu',
    );
    expect(selectorQuery(undefined)).toBeUndefined();
    expect(selectorQuery({})).toBeUndefined();
    expect(
      selectorQuery({ matchExpressions: [{ key: 'a', operator: 'Gt' }] }),
    ).toBeUndefined();
  });

  it('reads when each pod was created and turned Ready, oldest first, skipping bad items', () => {
    expect(
      podStartsOf([
        {
          metadata: { name: 'b', creationTimestamp: '2026-12-04T10:01:00Z' },
          status: {
            conditions: [
              {
                type: 'PodScheduled',
                status: 'True',
                lastTransitionTime: '2026-12-04T10:01:00Z',
              },
              {
                type: 'Ready',
                status: 'True',
                lastTransitionTime: '2026-12-04T10:01:23Z',
              },
            ],
          },
        },
        {
          metadata: { name: 'a', creationTimestamp: '2026-12-04T10:00:00Z' },
          status: {
            conditions: [
              {
                type: 'Ready',
                status: 'False',
                lastTransitionTime: '2026-12-04T10:00:00Z',
              },
            ],
          },
        },
        { metadata: { name: 'c', creationTimestamp: 'yesterday' } },
        { metadata: {} },
      ]),
    ).toEqual([
      { name: 'a', createdAt: '2026-12-04T10:00:00Z' },
      {
        name: 'b',
        createdAt: '2026-12-04T10:01:00Z',
        readyAt: '2026-12-04T10:01:23Z',
      },
    ]);
  });
});
