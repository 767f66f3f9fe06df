import { adaptivePolicy } from './adaptive';
import { ModelWakeCost } from './types';

const COST: ModelWakeCost = { loadSeconds: 30 };

/** Feeds a model busy intervals of 10 s separated by `gaps`; returns the last decision. */
function feed(
  policy: ReturnType<typeof adaptivePolicy>,
  model: string,
  gaps: number[],
  start = 1_700_000_000,
  cost: ModelWakeCost = COST,
) {
  let t = start;
  policy.observeBusyStart(model, t, cost);
  let decision = policy.decide(model, t + 10, cost);
  t += 10;
  for (const g of gaps) {
    t += g;
    policy.observeBusyStart(model, t, cost);
    t += 10;
    decision = policy.decide(model, t, cost);
  }
  return decision;
}

describe('adaptivePolicy', () => {
  it('with no gap seen at all, stays warm as long as a wake and a cold start cost (break-even)', () => {
    const d = adaptivePolicy({ coldStartPenaltySeconds: 600 }).decide(
      'm',
      100,
      COST,
    );
    // 30 s of load and 600 s of the price of a cold start.
    expect(d.keepAliveSeconds).toBe(630);
    expect(d.reason).toBe(
      'no idle gap seen yet: keep-alive 11 min, what a wake and a cold start cost',
    );
  });

  it('keeps a model warm just past its short gaps, which cost less than a wake and a cold start', () => {
    // Gaps of 50 to 70 s; a wake and a cold start cost 30 + 600 s.
    const gaps = Array.from({ length: 40 }, (_, i) => 50 + (i % 5) * 5);
    const d = feed(adaptivePolicy({ coldStartPenaltySeconds: 600 }), 'm', gaps);
    // Staying warm through every gap (at most 70 s) is cheapest: a
    // keep-alive just past the longest covers them all.
    expect(d.prewarm).toBeUndefined();
    expect(d.keepAliveSeconds).toBeGreaterThanOrEqual(70);
    expect(d.keepAliveSeconds).toBeLessThan(80);
    expect(d.reason).toMatch(
      /idle gaps under \d+ s are 100 % of this model's last 40 idle gaps; keep-alive \d+ s/,
    );
  });

  it('covers the short mode of bimodal gaps and sleeps through the long one', () => {
    // Four of five gaps are 2 min, one is 5 h (in that order, repeated).
    const gaps = Array.from({ length: 50 }, (_, i) =>
      i % 5 === 4 ? 5 * 3600 : 120,
    );
    const d = feed(adaptivePolicy({ coldStartPenaltySeconds: 600 }), 'm', gaps);
    expect(d.keepAliveSeconds).toBeGreaterThanOrEqual(120);
    expect(d.keepAliveSeconds).toBeLessThan(140);
    expect(d.reason).toMatch(/keep-alive 2 min/);
  });

  it('goes to zero at once when every gap is far longer than a wake and a cold start, and they vary', () => {
    // Gaps from 2 h to 12 h, spread evenly: no window worth pre-warming.
    const gaps = Array.from(
      { length: 30 },
      (_, i) => 7200 + ((i * 1223) % 36000),
    );
    const d = feed(adaptivePolicy({ coldStartPenaltySeconds: 60 }), 'm', gaps);
    expect(d.keepAliveSeconds).toBe(0);
    expect(d.prewarm).toBeUndefined();
    expect(d.reason).toMatch(/to zero at once/);
    // A model of the sleep idle tier rests asleep, and says so.
    const asleep = feed(
      adaptivePolicy({ coldStartPenaltySeconds: 60 }),
      'm',
      gaps,
      1_700_000_000,
      { ...COST, restsAt: 'sleep' },
    );
    expect(asleep.reason).toMatch(/to sleep at once/);
  });

  it('pre-warms a model requested at the same time every day, ahead of the request by its load time', () => {
    // One request a day at 09:00 (busy 10 s): gaps of a day less 10 s. A
    // cold start priced at an hour: waking a little early is cheaper.
    const gaps = Array.from({ length: 14 }, () => 86_400 - 10);
    const d = feed(
      adaptivePolicy({ coldStartPenaltySeconds: 3600 }),
      'm',
      gaps,
      Date.UTC(2025, 0, 6, 9) / 1000,
    );
    expect(d.keepAliveSeconds).toBe(0);
    expect(d.prewarm).toBeDefined();
    const { afterSeconds, windowSeconds } = d.prewarm!;
    // Warm (loaded) before the next request, and still warm when it comes.
    expect(afterSeconds + COST.loadSeconds).toBeLessThanOrEqual(86_390);
    expect(afterSeconds + windowSeconds).toBeGreaterThan(86_390);
    // And not hours early: the window is a small part of the day.
    expect(windowSeconds).toBeLessThan(3600);
    expect(d.reason).toMatch(/warm again/);
  });

  it("a model with no gaps of its own starts from the fleet's", () => {
    const policy = adaptivePolicy({ coldStartPenaltySeconds: 600 });
    feed(
      policy,
      'busy',
      Array.from({ length: 60 }, () => 40),
    );
    policy.observeBusyStart('new', 1_800_000_000, COST);
    const d = policy.decide('new', 1_800_000_010, COST);
    // The fleet's gaps are 40 s: the new model keeps warm past them.
    expect(d.keepAliveSeconds).toBeGreaterThanOrEqual(40);
    expect(d.keepAliveSeconds).toBeLessThan(50);
    expect(d.reason).toMatch(
      /the fleet's idle gaps \(this model has 0 of its own\)/,
    );
  });

  it('a larger price of a cold start keeps a model warm longer', () => {
    // Gaps spread from 1 min to 2 h.
    const gaps = Array.from({ length: 80 }, (_, i) => 60 + ((i * 977) % 7140));
    const keepAlive = (penalty: number) =>
      feed(adaptivePolicy({ coldStartPenaltySeconds: penalty }), 'm', gaps)
        .keepAliveSeconds;
    const low = keepAlive(0);
    const high = keepAlive(4 * 3600);
    expect(high).toBeGreaterThan(low);
  });
});
