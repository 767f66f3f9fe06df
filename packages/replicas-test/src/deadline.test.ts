import { ActionView, waitingWithinDeadline } from './backends';

const at = (iso: string) => Date.parse(iso);

/** A scale to 2 whose first step succeeded at 12:00, now waiting for pods. */
const waiting = (over: Partial<ActionView> = {}): ActionView => ({
  id: 'a',
  idempotencyKey: 'k',
  kind: 'scale',
  entityRef: 'model:default/m',
  cluster: 'c',
  state: 'applying',
  stepIndex: 1,
  steps: [
    { do: { op: 'scale' } },
    { do: { op: 'waitReady', timeoutSeconds: 900 } },
  ],
  createdAt: '2026-12-04T11:59:58Z',
  updatedAt: '2026-12-04T12:03:00Z',
  events: [
    {
      at: '2026-12-04T11:59:59Z',
      from: 'planned',
      to: 'applying',
      step: 0,
      actor: 'r',
      outcome: 'info',
      message: 'applying step 1 of 2',
    },
    {
      at: '2026-12-04T12:00:00Z',
      from: 'applying',
      to: 'applying',
      step: 0,
      actor: 'r',
      outcome: 'succeeded',
      message: 'scaled',
    },
  ],
  ...over,
});

describe('waitingWithinDeadline', () => {
  it("counts a wait for pods as in progress until its step's timeout and a margin have passed", () => {
    expect(waitingWithinDeadline(waiting(), at('2026-12-04T12:04:00Z'))).toBe(
      true,
    );
    // 900 s + 120 s after the step began: overdue, so lost if not final.
    expect(waitingWithinDeadline(waiting(), at('2026-12-04T12:17:01Z'))).toBe(
      false,
    );
  });

  it('does not excuse any other state or step', () => {
    const now = at('2026-12-04T12:04:00Z');
    expect(waitingWithinDeadline(waiting({ state: 'verifying' }), now)).toBe(
      false,
    );
    expect(waitingWithinDeadline(waiting({ stepIndex: 0 }), now)).toBe(false);
  });
});
