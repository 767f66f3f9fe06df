import { ledgerOfPoolDay, PoolLedgerSample } from './poolCounterfactual';

const H = 3_600_000;
const DAY = Date.parse('2026-12-01T00:00:00Z');

/** 24 hourly counts: `count` from each hour in `steps` on (`[[0, 5], [7, 4]]`). */
const steps = (...from: Array<[number, number]>): number[] =>
  Array.from(
    { length: 24 },
    (_, h) => from.filter(([at]) => at <= h).pop()![1],
  );

/** Hourly samples of a pool's nodes over the day, from a list of 24 counts. */
const hourly = (nodes: number[]): PoolLedgerSample[] =>
  nodes.map((n, h) => ({ sampledAt: DAY + h * H, seconds: 3600, nodes: n }));

const day = (
  samples: PoolLedgerSample[],
  actions: Parameters<typeof ledgerOfPoolDay>[0]['actions'],
  usdPerNodeHour = 2,
) =>
  ledgerOfPoolDay({
    dayStart: DAY,
    dayEnd: DAY + 24 * H,
    samples,
    actions,
    usdPerNodeHour,
  });

describe('ledgerOfPoolDay', () => {
  const emptied = (nodes: number, at = 6) => ({
    id: 'a',
    finishedAt: DAY + at * H,
    nodesBefore: 5,
    nodesEmptied: nodes,
  });

  it('counts the nodes the pool runs fewer than before, from when it finished, at most those it emptied', () => {
    // 5 nodes; 2 emptied at 06:00; the autoscaler takes one at 07:00 and
    // the other at 08:00; at 20:00 it also takes a third (its own doing).
    const nodes = steps([0, 5], [7, 4], [8, 3], [20, 2]);
    const [f] = day(hourly(nodes), [emptied(2)]);
    // 1 node for 1 h, 2 nodes for 16 h (08:00 to 24:00).
    expect(f.savedUsd).toBeCloseTo((1 * 1 + 2 * 16) * 2, 9);
    expect(f.hours).toBeCloseTo(17, 9);
    expect(f.afterUsd).toBeCloseTo((4 * 1 + 3 * 12 + 2 * 4) * 2, 9);
    expect(f.beforeUsd).toBeCloseTo(f.afterUsd + f.savedUsd, 9);
  });

  it('counts nothing before it finished, nor while work brings the nodes back', () => {
    const nodes = steps([0, 4], [4, 5], [12, 4]);
    // Finished at 06:00: 4 nodes before it are not its saving; 5 again
    // from 04:00 to 12:00 saves nothing; 4 from 12:00 saves one.
    const [f] = day(hourly(nodes), [emptied(1)]);
    expect(f.hours).toBeCloseTo(12, 9);
    expect(f.savedUsd).toBeCloseTo(12 * 2, 9);
  });

  it('counts the part of an interval after it finished', () => {
    const [f] = day(
      [{ sampledAt: DAY, seconds: 86_400, nodes: 4 }],
      [emptied(1, 18)],
    );
    expect(f.hours).toBeCloseTo(6, 9);
  });

  it('counts two consolidations of a pool in the order they finished, each against what the one before left', () => {
    const nodes = steps([0, 5], [8, 4], [14, 2]);
    const figures = day(hourly(nodes), [
      {
        id: 'second',
        finishedAt: DAY + 12 * H,
        nodesBefore: 4,
        nodesEmptied: 2,
      },
      emptied(1),
    ]);
    const by = Object.fromEntries(figures.map(f => [f.actionId, f]));
    // The first: one node from 08:00. The second: the two more from 14:00.
    expect(by.a.savedUsd).toBeCloseTo(16 * 1 * 2, 9);
    expect(by.second.savedUsd).toBeCloseTo(10 * 2 * 2, 9);
  });

  it('counts nothing without a node price', () => {
    expect(
      ledgerOfPoolDay({
        dayStart: DAY,
        dayEnd: DAY + 24 * H,
        samples: hourly(Array(24).fill(3)),
        actions: [emptied(2)],
        usdPerNodeHour: undefined,
      }),
    ).toEqual([]);
  });
});
