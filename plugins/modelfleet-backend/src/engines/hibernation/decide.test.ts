import { PlatformPolicy } from '@modelfleet/plugin-modelfleet-common';
import { decideHibernation, HibernationModel, warmFloor } from './decide';
import { openWindowAt } from './windows';

const policy = (
  over: Partial<PlatformPolicy['hibernation']> = {},
): PlatformPolicy['hibernation'] => ({
  mode: 'enforce',
  idleMinutes: 30,
  coldStartPenaltyMinutes: 10,
  sleepWakeSeconds: 5,
  minWarmReplicas: 0,
  schedules: [],
  ...over,
});

// Wednesday 2025-01-08, 10:00 UTC.
const NOW = Date.UTC(2025, 0, 8, 10);
const businessHours = {
  name: 'business-hours',
  start: '0 8 * * 1-5',
  end: '0 18 * * 1-5',
  timezone: 'UTC',
  minReplicas: 1,
};

/** A model idle for 20 min whose policy says: keep-alive 10 min. */
const idle = (over: Partial<HibernationModel> = {}): HibernationModel => ({
  replicas: { desired: 1, ready: 1 },
  inFlight: 0,
  idleSince: NOW - 20 * 60_000,
  learned: { keepAliveSeconds: 600, reason: 'keep-alive 10 min' },
  ...over,
});

describe('decideHibernation', () => {
  it('takes an idle model without an autoscaler to zero once its keep-alive has passed', () => {
    expect(decideHibernation(idle(), policy(), NOW)).toEqual({
      action: 'hibernate',
      reason: 'keep-alive 10 min',
    });
    // Within its keep-alive: nothing yet.
    expect(
      decideHibernation(idle({ idleSince: NOW - 5 * 60_000 }), policy(), NOW),
    ).toMatchObject({ action: 'none' });
  });

  it('takes a model without an autoscaler to zero only inside a maintenance window, where the team names any', () => {
    // Saturdays 02:00–06:00 UTC; NOW is a Wednesday.
    const patching = {
      name: 'weekend-patching',
      start: '0 2 * * 6',
      end: '0 6 * * 6',
      timezone: 'UTC',
    };
    expect(decideHibernation(idle(), policy(), NOW, [patching])).toEqual({
      action: 'none',
      reason:
        'keep-alive 10 min; nothing would wake it on a request, so going to zero waits for maintenance window weekend-patching, which opens at 2025-01-11T02:00:00.000Z',
    });
    const saturday = Date.UTC(2025, 0, 11, 3);
    expect(
      decideHibernation(
        idle({ idleSince: saturday - 20 * 60_000 }),
        policy(),
        saturday,
        [patching],
      ),
    ).toEqual({ action: 'hibernate', reason: 'keep-alive 10 min' });
    // Of two windows, the one that opens first is named; one open will do.
    const nightly = {
      ...patching,
      name: 'nightly',
      start: '0 1 * * *',
      end: '0 3 * * *',
    };
    expect(
      decideHibernation(idle(), policy(), NOW, [patching, nightly]).reason,
    ).toMatch(
      /maintenance window nightly, which opens at 2025-01-09T01:00:00.000Z$/,
    );
    // What disrupts nothing goes on outside one: a keep-alive set on an
    // autoscaler (a request wakes the model through it).
    expect(
      decideHibernation(
        idle({
          idleSince: NOW - 60_000,
          autoscaler: { keepAliveSeconds: 1800 },
        }),
        policy(),
        NOW,
        [patching],
      ),
    ).toMatchObject({ action: 'setKeepAlive', seconds: 600 });
  });

  it('sets the learned keep-alive on an autoscaler, and leaves one within 10 % alone', () => {
    expect(
      decideHibernation(
        idle({
          idleSince: NOW - 60_000,
          autoscaler: { keepAliveSeconds: 1800 },
        }),
        policy(),
        NOW,
      ),
    ).toEqual({
      action: 'setKeepAlive',
      seconds: 600,
      reason: 'keep-alive 10 min',
    });
    expect(
      decideHibernation(
        idle({
          idleSince: NOW - 60_000,
          autoscaler: { keepAliveSeconds: 630 },
        }),
        policy(),
        NOW,
      ),
    ).toMatchObject({ action: 'none' });
  });

  it('sets the learned keep-alive on the autoscaler of a model at zero, ready for its next wake, unless a person holds it', () => {
    const asleep = (over: Partial<HibernationModel> = {}) =>
      idle({
        replicas: { desired: 0, ready: 0 },
        autoscaler: { keepAliveSeconds: 64 },
        ...over,
      });
    expect(decideHibernation(asleep(), policy(), NOW)).toEqual({
      action: 'setKeepAlive',
      seconds: 600,
      reason: 'keep-alive 10 min',
    });
    expect(
      decideHibernation(
        asleep({ autoscaler: { keepAliveSeconds: 620 } }),
        policy(),
        NOW,
      ),
    ).toEqual({ action: 'none', reason: 'at zero; the next request wakes it' });
    expect(
      decideHibernation(
        asleep({
          autoscaler: { keepAliveSeconds: 64, paused: true },
          heldBy: 'user:default/jane',
        }),
        policy(),
        NOW,
      ),
    ).toMatchObject({ action: 'none' });
  });

  it('leaves an idle model with a running autoscaler to it once the keep-alive has passed', () => {
    expect(
      decideHibernation(
        idle({ autoscaler: { keepAliveSeconds: 600 } }),
        policy(),
        NOW,
      ),
    ).toEqual({
      action: 'none',
      reason: 'keep-alive 10 min; its autoscaler takes it to zero',
    });
    // Paused by the policy (a pre-warm): the loop takes it to zero itself.
    expect(
      decideHibernation(
        idle({ autoscaler: { keepAliveSeconds: 600, paused: true } }),
        policy(),
        NOW,
      ),
    ).toMatchObject({ action: 'hibernate' });
  });

  it('keeps a pre-warmed model warm through its pre-warm window, then takes it to zero', () => {
    const learned = {
      keepAliveSeconds: 120,
      prewarm: { afterSeconds: 1000, windowSeconds: 600 },
      reason: 'gaps of about 20 min',
    };
    const at = (idleMinutes: number) =>
      decideHibernation(
        idle({
          idleSince: NOW - idleMinutes * 60_000,
          learned,
          autoscaler: { keepAliveSeconds: 120, paused: true },
        }),
        policy(),
        NOW,
      );
    expect(at(20)).toMatchObject({
      action: 'none',
      reason: expect.stringMatching(/^pre-warmed for the demand it expects/),
    });
    expect(at(27)).toMatchObject({ action: 'hibernate' });
    // At zero inside the window: woken.
    expect(
      decideHibernation(
        idle({
          idleSince: NOW - 20 * 60_000,
          learned,
          replicas: { desired: 0, ready: 0 },
        }),
        policy(),
        NOW,
      ),
    ).toMatchObject({ action: 'wake', replicas: 1 });
  });

  describe('never hibernates', () => {
    it('while a person holds it (a Wake or Scale paused its autoscaler)', () => {
      expect(
        decideHibernation(
          idle({
            autoscaler: { keepAliveSeconds: 600 },
            heldBy: 'user:default/jane',
          }),
          policy(),
          NOW,
        ),
      ).toEqual({
        action: 'none',
        reason:
          'held at 1 by user:default/jane; Hibernate hands it back to its autoscaler',
      });
    });

    it('under mode: off', () => {
      expect(decideHibernation(idle(), policy({ mode: 'off' }), NOW)).toEqual({
        action: 'none',
        reason: "hibernation is off in the team's policy",
      });
    });

    it('a model annotated modelfleet.io/hibernation: disabled', () => {
      expect(
        decideHibernation(
          idle({ annotations: { 'modelfleet.io/hibernation': 'disabled' } }),
          policy(),
          NOW,
        ),
      ).toEqual({
        action: 'none',
        reason: 'annotated modelfleet.io/hibernation: disabled',
      });
    });

    it('with requests in flight', () => {
      expect(decideHibernation(idle({ inFlight: 3 }), policy(), NOW)).toEqual({
        action: 'none',
        reason: '3 request(s) in flight',
      });
    });

    it('below minWarmReplicas', () => {
      expect(
        decideHibernation(idle(), policy({ minWarmReplicas: 1 }), NOW),
      ).toEqual({
        action: 'none',
        reason: 'the team keeps 1 warm (minWarmReplicas)',
      });
    });

    it("inside a schedule window's minimum", () => {
      const step = decideHibernation(
        idle(),
        policy({ schedules: [businessHours] }),
        NOW,
      );
      expect(step).toEqual({
        action: 'none',
        reason:
          'schedule business-hours keeps 1 warm until 2025-01-08T18:00:00.000Z',
      });
      // After hours the same model goes to zero.
      expect(
        decideHibernation(
          idle({ idleSince: Date.UTC(2025, 0, 8, 20) - 20 * 60_000 }),
          policy({ schedules: [businessHours] }),
          Date.UTC(2025, 0, 8, 20),
        ),
      ).toMatchObject({ action: 'hibernate' });
    });
  });

  it('wakes a model at zero to the floor of an open schedule window', () => {
    expect(
      decideHibernation(
        idle({ replicas: { desired: 0, ready: 0 } }),
        policy({ schedules: [businessHours] }),
        NOW,
      ),
    ).toMatchObject({ action: 'wake', replicas: 1 });
  });

  it('pre-warms a model at zero inside its pre-warm window, and not before or after', () => {
    const learned = {
      keepAliveSeconds: 0,
      prewarm: { afterSeconds: 3000, windowSeconds: 600 },
      reason: 'gaps cluster past 51 min',
    };
    const at = (minutesIdle: number) =>
      decideHibernation(
        idle({
          replicas: { desired: 0, ready: 0 },
          idleSince: NOW - minutesIdle * 60_000,
          learned,
        }),
        policy(),
        NOW,
      ).action;
    expect(at(49)).toBe('none');
    expect(at(51)).toBe('wake');
    expect(at(61)).toBe('none');
  });
});

describe('warmFloor and openWindowAt', () => {
  it('reads cron windows in their time zone', () => {
    const berlin = { ...businessHours, timezone: 'Europe/Berlin' };
    // 07:30 UTC is 08:30 in Berlin (CET, UTC+1): open.
    expect(openWindowAt(berlin, Date.UTC(2025, 0, 8, 7, 30))).toEqual({
      since: Date.UTC(2025, 0, 8, 7),
      until: Date.UTC(2025, 0, 8, 17),
    });
    // Saturday: closed.
    expect(openWindowAt(berlin, Date.UTC(2025, 0, 11, 10))).toBeUndefined();
    // A window opening exactly now is open.
    expect(openWindowAt(businessHours, Date.UTC(2025, 0, 8, 8))).toBeDefined();
    expect(
      openWindowAt(businessHours, Date.UTC(2025, 0, 8, 18)),
    ).toBeUndefined();
  });

  it('takes the largest minimum of the open windows and minWarmReplicas', () => {
    const peak = {
      ...businessHours,
      name: 'peak',
      start: '0 9 * * *',
      end: '0 11 * * *',
      minReplicas: 3,
    };
    expect(
      warmFloor(
        policy({ minWarmReplicas: 2, schedules: [businessHours, peak] }),
        NOW,
      ),
    ).toEqual({
      replicas: 3,
      reason: 'schedule peak keeps 3 warm until 2025-01-08T11:00:00.000Z',
    });
  });
});

describe('decideHibernation for the sleep idle tier', () => {
  const awake = { sleeping: false, wakeSeconds: 5 };
  const asleep = { sleeping: true, wakeSeconds: 5 };

  it('puts the engine to sleep once the keep-alive has passed, instead of going to zero', () => {
    expect(decideHibernation(idle({ engine: awake }), policy(), NOW)).toEqual({
      action: 'sleep',
      reason: 'keep-alive 10 min',
    });
    expect(
      decideHibernation(
        idle({ engine: awake, idleSince: NOW - 5 * 60_000 }),
        policy(),
        NOW,
      ),
    ).toMatchObject({ action: 'none' });
  });

  it('leaves a sleeping engine to its wake gate, and wakes it inside a pre-warm window', () => {
    expect(decideHibernation(idle({ engine: asleep }), policy(), NOW)).toEqual({
      action: 'none',
      reason: 'asleep; the next request wakes its engine in about 5 s',
    });
    const prewarm = {
      keepAliveSeconds: 60,
      reason: 'demand at 10:20',
      prewarm: { afterSeconds: 15 * 60, windowSeconds: 10 * 60 },
    };
    expect(
      decideHibernation(
        idle({ engine: asleep, learned: prewarm }),
        policy(),
        NOW,
      ),
    ).toEqual({
      action: 'wake',
      replicas: 1,
      reason: 'pre-warm: demand at 10:20',
    });
  });

  describe('never puts an engine to sleep', () => {
    const never = (model: HibernationModel, p = policy()) =>
      expect(decideHibernation(model, p, NOW).action).not.toBe('sleep');

    it('under mode: off', () =>
      never(idle({ engine: awake }), policy({ mode: 'off' })));
    it('annotated modelfleet.io/hibernation: disabled', () =>
      never(
        idle({
          engine: awake,
          annotations: { 'modelfleet.io/hibernation': 'disabled' },
        }),
      ));
    it('with requests in flight', () =>
      never(idle({ engine: awake, inFlight: 2 })));
    it('below minWarmReplicas', () =>
      never(idle({ engine: awake }), policy({ minWarmReplicas: 1 })));
    it("inside a schedule window's minimum", () =>
      never(idle({ engine: awake }), policy({ schedules: [businessHours] })));
    it('while a person holds it awake', () =>
      never(idle({ engine: awake, heldBy: 'user:default/jane' })));
  });
});
