import {
  busyIntervals,
  fixedKeepAlivePolicy,
  gapOutcome,
  optimumCurve,
  simulate,
  TraceRequest,
} from './simulate';
import { IdleDecision, KeepAlivePolicy } from './types';

const L = 10;
const req = (model: string, start: number, execSeconds: number) => ({
  model,
  start,
  execSeconds,
});
/** A policy that always returns `d`. */
const always = (d: Omit<IdleDecision, 'reason'>): KeepAlivePolicy => ({
  name: 'test',
  observeBusyStart() {},
  decide: () => ({ ...d, reason: 'test' }),
});
const run = (
  policy: KeepAlivePolicy,
  requests: TraceRequest[],
  horizon?: number,
) => simulate(policy, busyIntervals(requests), { loadSeconds: L, horizon });
// Two requests of one model: busy [0, 10] and [40, 50], a gap of 30 s.
const twoRequests = [req('m', 0, 10), req('m', 40, 10)];

describe('busyIntervals', () => {
  it('merges overlapping and touching requests per model, floors at 1 s, orders by start', () => {
    const out = busyIntervals([
      req('a', 3, 10), // [3, 13] overlaps [0, 5]
      req('a', 0, 5),
      req('a', 13, 0), // [13, 14] touches 13
      req('b', 1, 2),
      req('a', 20, 0.5), // [20, 21]: the 1 s floor
    ]);
    expect(out).toEqual([
      { model: 'a', start: 0, end: 14, requests: 3 },
      { model: 'b', start: 1, end: 3, requests: 1 },
      { model: 'a', start: 20, end: 21, requests: 1 },
    ]);
  });
});

describe('simulate', () => {
  it('counts the first request of each model as cold, with one wake', () => {
    const r = run(fixedKeepAlivePolicy(0), [req('a', 0, 10), req('b', 5, 10)]);
    // Both asleep at once (k = 0), horizon 15: a's trailing 5 s cost nothing.
    expect(r).toMatchObject({
      models: 2,
      requests: 2,
      coldStarts: 2,
      wakes: 2,
      idleSeconds: 2 * L,
      coldPer1k: 1000,
    });
  });

  it('a request within the keep-alive is a warm hit: the gap is idle', () => {
    const r = run(fixedKeepAlivePolicy(60), twoRequests);
    // wake L + warm gap 30; horizon = 50, nothing after
    expect(r).toMatchObject({ coldStarts: 1, wakes: 1, idleSeconds: L + 30 });
    expect(r.coldPer1k).toBe(500);
  });

  it('a request after the keep-alive is cold: keep-alive + L', () => {
    const r = run(fixedKeepAlivePolicy(20), twoRequests);
    expect(r).toMatchObject({
      coldStarts: 2,
      wakes: 2,
      idleSeconds: L + 20 + L,
    });
    // exactly at the end of the keep-alive: cold too
    expect(gapOutcome({ keepAliveSeconds: 30, reason: '' }, 30, L)).toEqual({
      idleSeconds: 30 + L,
      cold: true,
      wakes: 1,
      prewarmIgnored: false,
    });
  });

  it('a pre-warm that has loaded before the request is a warm hit', () => {
    // sleep at once, load on [15, 25), warm until 35; request at gap 30
    const r = run(
      always({
        keepAliveSeconds: 0,
        prewarm: { afterSeconds: 15, windowSeconds: 20 },
      }),
      twoRequests,
    );
    expect(r).toMatchObject({
      coldStarts: 1,
      wakes: 2,
      idleSeconds: L + (L + 5), // first wake; pre-warm's L + warm 25..30
    });
    // at exactly p + L: warm
    expect(
      gapOutcome(
        {
          keepAliveSeconds: 0,
          prewarm: { afterSeconds: 15, windowSeconds: 20 },
          reason: '',
        },
        25,
        L,
      ),
    ).toMatchObject({ idleSeconds: L, cold: false, wakes: 1 });
  });

  it('a request while the pre-warm loads is cold, with no extra wake', () => {
    // load on [25, 35); request at 30
    const r = run(
      always({
        keepAliveSeconds: 0,
        prewarm: { afterSeconds: 25, windowSeconds: 20 },
      }),
      twoRequests,
    );
    expect(r).toMatchObject({ coldStarts: 2, wakes: 2, idleSeconds: L + L });
  });

  it('a request before the pre-warm is cold (its own wake); after the window, cold again', () => {
    const before = run(
      always({
        keepAliveSeconds: 0,
        prewarm: { afterSeconds: 40, windowSeconds: 20 },
      }),
      twoRequests,
    );
    expect(before).toMatchObject({
      coldStarts: 2,
      wakes: 2,
      idleSeconds: 2 * L,
    });
    // load [5, 15), warm until 20, asleep; request at 30: cold, a second wake
    const after = run(
      always({
        keepAliveSeconds: 0,
        prewarm: { afterSeconds: 5, windowSeconds: 15 },
      }),
      twoRequests,
    );
    expect(after).toMatchObject({
      coldStarts: 2,
      wakes: 3,
      idleSeconds: L + (15 + L),
    });
  });

  it('keeps warm, sleeps, then pre-warms', () => {
    // warm [0, 10), asleep, load [12, 22), warm until 32: request at 30 warm
    const r = run(
      always({
        keepAliveSeconds: 10,
        prewarm: { afterSeconds: 12, windowSeconds: 20 },
      }),
      twoRequests,
    );
    expect(r).toMatchObject({
      coldStarts: 1,
      wakes: 2,
      idleSeconds: L + (10 + L + 8),
    });
  });

  it('ignores a pre-warm that starts within the keep-alive; a window shorter than L lasts L', () => {
    const ignored = run(
      always({
        keepAliveSeconds: 20,
        prewarm: { afterSeconds: 5, windowSeconds: 100 },
      }),
      twoRequests,
    );
    expect(ignored).toMatchObject({
      coldStarts: 2,
      idleSeconds: L + 20 + L,
      prewarmsIgnored: 2, // the gap's decision and the trailing one
    });
    // load [10, 20) (window 5 < L), asleep from 20; request at 25: cold
    expect(
      gapOutcome(
        {
          keepAliveSeconds: 0,
          prewarm: { afterSeconds: 10, windowSeconds: 5 },
          reason: '',
        },
        25,
        L,
      ),
    ).toEqual({
      idleSeconds: 2 * L,
      cold: true,
      wakes: 2,
      prewarmIgnored: false,
    });
  });

  it('applies the last decision after the last request, up to the horizon', () => {
    const one = [req('m', 0, 10)];
    expect(run(fixedKeepAlivePolicy(30), one, 100).idleSeconds).toBe(L + 30);
    expect(run(fixedKeepAlivePolicy(30), one, 20).idleSeconds).toBe(L + 10);
    // warm 5 s, pre-warm at 12 for 30 s, clipped at the horizon 20 s after the end
    const r = run(
      always({
        keepAliveSeconds: 5,
        prewarm: { afterSeconds: 12, windowSeconds: 30 },
      }),
      one,
      30,
    );
    expect(r).toMatchObject({ wakes: 2, idleSeconds: L + 5 + 8 });
  });

  it('always-on: each model is cold once, then warm to the end of the period', () => {
    const r = run(fixedKeepAlivePolicy(Infinity), [
      req('a', 0, 10),
      req('a', 1000, 10),
      req('b', 500, 10),
    ]);
    // horizon 1010: a warm 10..1000, b warm 510..1010
    expect(r).toMatchObject({
      coldStarts: 2,
      wakes: 2,
      idleSeconds: 2 * L + 990 + 500,
    });
  });

  it('tells the policy busy starts and ends in global time order, and times decide', () => {
    const calls: string[] = [];
    const policy: KeepAlivePolicy = {
      name: 'log',
      observeBusyStart: (m, t) => calls.push(`start ${m} ${t}`),
      decide: (m, t) => {
        calls.push(`end ${m} ${t}`);
        return { keepAliveSeconds: 0, reason: '' };
      },
    };
    let now = 0n;
    const r = simulate(
      policy,
      busyIntervals([req('a', 0, 10), req('b', 5, 3), req('a', 20, 1)]),
      { loadSeconds: L, clock: () => (now += 7n) },
    );
    expect(calls).toEqual([
      'start a 0',
      'start b 5',
      'end b 8',
      'end a 10',
      'start a 20',
      'end a 21',
    ]);
    expect(r.decideNanos).toEqual([7, 7, 7]);
  });

  it('rejects a decision with a negative keep-alive', () => {
    expect(() => run(always({ keepAliveSeconds: -1 }), twoRequests)).toThrow(
      /invalid decision/,
    );
  });
});

describe('optimumCurve', () => {
  it('sleeps through the longest gaps first', () => {
    const intervals = busyIntervals([
      req('a', 0, 10),
      req('a', 40, 10), // gap 30
      req('a', 150, 10), // gap 100
      req('b', 0, 5),
      req('b', 25, 5), // gap 20
    ]);
    const o = optimumCurve(intervals, L);
    expect(o.models).toBe(2);
    expect(o.requests).toBe(5);
    expect(o.gaps).toBe(3);
    // all 150 s of gaps warm, then without 100, 30, 20; plus L per cold start
    expect(o.points.map(p => [p.coldStarts, p.idleSeconds])).toEqual([
      [2, 150 + 2 * L],
      [3, 50 + 3 * L],
      [4, 20 + 4 * L],
      [5, 0 + 5 * L],
    ]);
    expect(o.points[0].coldPer1k).toBe(400);
    // pre-warm oracle: min(gap, L) per gap + L per model
    expect(o.prewarmOracleSeconds).toBe(3 * L + 2 * L);
  });
});
