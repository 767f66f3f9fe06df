import { PlatformPolicy } from '@modelfleet/plugin-modelfleet-common';
import { nextChangeOf } from './nextChange';

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
const hours = {
  name: 'business-hours',
  start: '0 8 * * 1-5',
  end: '0 18 * * 1-5',
  timezone: 'UTC',
  minReplicas: 1,
};

describe('nextChangeOf', () => {
  it('is the end of the keep-alive of an idle warm model', () => {
    expect(
      nextChangeOf({
        policy: policy(),
        state: 'warm',
        idleSince: NOW - 60_000,
        learned: { keepAliveSeconds: 300, reason: '' },
        now: NOW,
      }),
    ).toEqual({
      at: new Date(NOW + 240_000).toISOString(),
      what: 'keep-alive ends: goes to zero unless a request comes',
    });
  });

  it('is the pre-warm of a model at zero, or the end of an open schedule window', () => {
    expect(
      nextChangeOf({
        policy: policy(),
        state: 'atZero',
        idleSince: NOW - 600_000,
        learned: {
          keepAliveSeconds: 60,
          prewarm: { afterSeconds: 1200, windowSeconds: 300 },
          reason: '',
        },
        now: NOW,
      }),
    ).toMatchObject({ what: 'pre-warm ahead of the demand it expects' });
    expect(
      nextChangeOf({
        policy: policy({ schedules: [hours] }),
        state: 'warm',
        now: NOW,
      }),
    ).toEqual({
      at: new Date(Date.UTC(2025, 0, 8, 18)).toISOString(),
      what: 'schedule business-hours ends; 1 warm no longer required',
    });
    // After hours: the next opening.
    expect(
      nextChangeOf({
        policy: policy({ schedules: [hours] }),
        state: 'atZero',
        now: Date.UTC(2025, 0, 8, 20),
      }),
    ).toEqual({
      at: new Date(Date.UTC(2025, 0, 9, 8)).toISOString(),
      what: 'schedule business-hours keeps 1 warm',
    });
  });

  it('is nothing under mode: off', () => {
    expect(
      nextChangeOf({
        policy: policy({ mode: 'off', schedules: [hours] }),
        state: 'warm',
        now: NOW,
      }),
    ).toBeUndefined();
  });
});
