import type { ActionView } from './backends';
import { podsStillComing, waitingWithinDeadline } from './waiting';

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
    {
      do: {
        op: 'waitReady',
        timeoutSeconds: 900,
        replicas: 3,
        workload: { namespace: 'ml', kind: 'Deployment', name: 'm' },
      },
    },
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

describe('podsStillComing', () => {
  const pod = (name: string, ready: boolean) => ({
    metadata: { name },
    status: {
      phase: ready ? 'Running' : 'Pending',
      conditions: ready
        ? [{ type: 'Ready', status: 'True' }]
        : [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }],
    },
  });

  it('excuses a wait while the workload wants its count and pods are still coming', () => {
    const seen = podsStillComing(waiting(), {
      spec: { replicas: 3 },
      status: { readyReplicas: 2 },
      pods: [pod('m-a', true), pod('m-b', true), pod('m-c', false)],
    });
    expect(seen).toEqual({
      coming: true,
      why: '2 of 3 ready, waiting for 3; pods: m-a Running, m-b Running, m-c Pending (PodScheduled: Unschedulable)',
    });
  });

  it('does not excuse a wait whose count someone else changed, one that is met, or a workload gone', () => {
    const changed = podsStillComing(waiting(), {
      spec: { replicas: 1 },
      status: { readyReplicas: 1 },
      pods: [pod('m-a', true)],
    });
    expect(changed.coming).toBe(false);
    expect(changed.why).toBe('1 of 1 ready, waiting for 3; pods: m-a Running');
    const met = podsStillComing(waiting(), {
      spec: { replicas: 3 },
      status: { readyReplicas: 3 },
      pods: [],
    });
    expect(met.coming).toBe(false);
    expect(podsStillComing(waiting(), undefined)).toEqual({
      coming: false,
      why: 'the workload is gone',
    });
  });
});
