import { ActionView } from './backends';
import { resumedAfterKill } from './kill';
import { appliedTwice, Change, MutationCollector } from './mutations';

const KEY = 'scale:model:default/chat:rt-load-1';

const action = (over: Partial<ActionView> = {}): ActionView => ({
  id: 'a1',
  idempotencyKey: KEY,
  kind: 'scale',
  entityRef: 'model:default/chat',
  cluster: 'demo-aws-use1',
  state: 'done',
  stepIndex: 1,
  steps: [
    { do: { op: 'scale' }, undo: { op: 'scale' } },
    { do: { op: 'waitReady' } },
  ],
  createdAt: '2026-12-03T10:00:00Z',
  updatedAt: '2026-12-03T10:00:05Z',
  ...over,
});

let rv = 0;
const change = (over: Partial<Change>): Change => ({
  rv: ++rv,
  time: '2026-12-03T10:00:01Z',
  verb: 'patch',
  resource: 'deployments',
  namespace: 'search',
  name: 'chat',
  source: 'api',
  actionStep: `${KEY}#0`,
  ...over,
});

/** A collector holding these changes on one cluster, with the simulator's counts. */
function collected(changes: Change[]): MutationCollector {
  const c = new MutationCollector(['http://a', 'http://b', 'http://c']);
  const byActionStep: Record<string, number> = {};
  for (const ch of changes) {
    c.changes.get('demo-aws-use1')!.set(ch.rv, ch);
    if (ch.actionStep) {
      byActionStep[ch.actionStep] = (byActionStep[ch.actionStep] ?? 0) + 1;
    }
  }
  c.reports.set('demo-aws-use1', {
    byActionStep,
    unannotated: 0,
    total: changes.length,
    requestsByVerb: {},
    changes,
  });
  return c;
}

describe('appliedTwice', () => {
  it('takes a scale (stamp, then the scale subresource) as one run', () => {
    const c = collected([change({}), change({ subresource: 'scale' })]);
    expect(appliedTwice(c, [action()])).toEqual({
      twice: [],
      unknownSteps: [],
    });
  });

  it('finds a scale that reached the cluster twice', () => {
    const c = collected([
      change({}),
      change({ subresource: 'scale' }),
      change({ subresource: 'scale' }),
    ]);
    expect(appliedTwice(c, [action()]).twice).toEqual([
      {
        step: `${KEY}#0`,
        why: 'demo-aws-use1 deployments/scale search/chat changed 2 times under it',
      },
    ]);
  });

  it('finds more changes than one run makes when the collected list is short', () => {
    const c = collected([change({}), change({ subresource: 'scale' })]);
    c.reports.get('demo-aws-use1')!.byActionStep[`${KEY}#0`] = 3;
    expect(appliedTwice(c, [action()]).twice).toEqual([
      { step: `${KEY}#0`, why: '3 changes, one run makes at most 2' },
    ]);
  });

  it('counts an undo apart from its step, and names steps of no action', () => {
    const c = collected([
      change({}),
      change({ subresource: 'scale' }),
      change({ actionStep: `${KEY}#0:undo` }),
      change({ actionStep: `${KEY}#0:undo`, subresource: 'scale' }),
      change({ actionStep: 'other#0' }),
    ]);
    expect(appliedTwice(c, [action()])).toEqual({
      twice: [],
      unknownSteps: ['other#0'],
    });
  });
});

describe('resumedAfterKill', () => {
  const killedAt = Date.parse('2026-12-03T10:00:10Z');
  const event = (at: string, actor: string, to: string) => ({
    at,
    from: 'applying',
    to,
    actor,
    outcome: 'info',
    message: '',
  });

  it('counts an action the killed replica had and another ended', () => {
    const resumed = action({
      events: [
        event('2026-12-03T10:00:05Z', 'replica:a', 'applying'),
        event('2026-12-03T10:00:20Z', 'replica:b', 'verifying'),
        event('2026-12-03T10:00:21Z', 'replica:b', 'done'),
      ],
    });
    const before = action({
      id: 'a2',
      events: [
        event('2026-12-03T10:00:05Z', 'replica:a', 'applying'),
        event('2026-12-03T10:00:06Z', 'replica:a', 'done'),
      ],
    });
    const others = action({
      id: 'a3',
      events: [
        event('2026-12-03T10:00:05Z', 'replica:b', 'applying'),
        event('2026-12-03T10:00:20Z', 'replica:b', 'done'),
      ],
    });
    expect(
      resumedAfterKill([resumed, before, others], 'replica:a', killedAt).map(
        a => a.id,
      ),
    ).toEqual(['a1']);
  });
});
