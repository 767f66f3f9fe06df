import { createTestDatabases } from '../__testUtils__/testDatabases';
import { transition } from '../engines/actions/stateMachine';
import { ActionStore, NewAction, progressOf } from './ActionStore';
import { DatabaseModelFleetStore } from './DatabaseModelFleetStore';

jest.setTimeout(60_000);

const policy = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  pollMs: 500,
};
const t0 = new Date('2026-12-03T10:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

const workload = {
  cluster: 'demo-aws-use1',
  namespace: 'search',
  kind: 'Deployment' as const,
  name: 'chat',
};
const hibernate = (key = 'hibernate:model:default/chat:1'): NewAction => ({
  idempotencyKey: key,
  kind: 'hibernate',
  entityRef: 'model:default/chat',
  cluster: 'demo-aws-use1',
  steps: [
    {
      description: 'Scale chat to 0',
      do: { op: 'scale', workload, replicas: 0 },
      undo: { op: 'scale', workload, replicas: 2 },
    },
  ],
  dryRun: false,
  requestedBy: 'user:default/jane',
  reason: 'idle since 09:00',
});
const planned = {
  at: t0.toISOString(),
  actor: 'user:default/jane',
  outcome: 'info' as const,
  message: 'planned',
};

describe('ActionStore', () => {
  const databases = createTestDatabases();

  async function create(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    return new ActionStore((await DatabaseModelFleetStore.fromKnex(knex)).knex);
  }

  it.each(databases.eachSupportedId())(
    'stores an action once per idempotency key, %p',
    async id => {
      const store = await create(id);
      const first = await store.create(hibernate(), planned);
      const again = await store.create(hibernate(), planned);
      expect(first.created).toBe(true);
      expect(again).toEqual({ action: first.action, created: false });
      expect(first.action).toMatchObject({
        state: 'planned',
        stepIndex: -1,
        version: 0,
        dryRun: false,
        steps: hibernate().steps,
        createdAt: t0.toISOString(),
      });
      // Racing creators: one stores it, the others get the same action.
      const racing = await Promise.all(
        [1, 2, 3].map(() => store.create(hibernate('wake:x:1'), planned)),
      );
      expect(racing.filter(r => r.created)).toHaveLength(1);
      expect(new Set(racing.map(r => r.action.id)).size).toBe(1);
      const [listed] = await store.list({
        entityRef: 'model:default/chat',
        withEvents: true,
        states: ['planned'],
      });
      expect(listed.events).toEqual([
        { ...planned, from: null, to: 'planned' },
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'lets one runner at a time hold an action, and another take it over when the lease expires, %p',
    async id => {
      const store = await create(id);
      const { action } = await store.create(hibernate(), planned);
      expect(await store.runnable(t0)).toHaveLength(1);

      const a = await store.claim(action, 'replica-a', t0, 10_000);
      expect(a).toMatchObject({ leaseOwner: 'replica-a', version: 1 });
      // B read the action before A claimed it: its claim loses.
      expect(
        await store.claim(action, 'replica-b', t0, 10_000),
      ).toBeUndefined();
      // While the lease lives, nobody else sees it as runnable.
      expect(await store.runnable(later(5_000))).toHaveLength(0);

      // A starts it; B's stale write loses.
      const start = transition(progressOf(a!), { type: 'start' }, t0, policy);
      const v2 = await store.advance(a!, {
        progress: start.next,
        event: {
          ...start.event!,
          at: t0.toISOString(),
          actor: 'replica:replica-a',
        },
        lease: { owner: 'replica-a', expiresAt: later(10_000) },
        now: t0,
      });
      expect(v2).toBe(2);
      expect(
        await store.advance(a!, { progress: start.next, now: t0 }),
      ).toBeUndefined();

      // A dies; after its lease B resumes the action where A left it.
      const [orphan] = await store.runnable(later(11_000));
      expect(orphan).toMatchObject({
        state: 'applying',
        stepIndex: 0,
        leaseOwner: 'replica-a',
      });
      const b = await store.claim(orphan, 'replica-b', later(11_000), 10_000);
      expect(b).toMatchObject({ leaseOwner: 'replica-b', version: 3 });
      expect(await store.busyEntities()).toEqual(
        new Set(['model:default/chat']),
      );

      const done = transition(
        progressOf(b!),
        { type: 'stepSucceeded' },
        later(12_000),
        policy,
      );
      await store.advance(b!, {
        progress: done.next,
        event: {
          ...done.event!,
          at: later(12_000).toISOString(),
          actor: 'replica:replica-b',
        },
        lease: null,
        now: later(12_000),
      });
      const stored = await store.get(action.id);
      expect(stored).toMatchObject({ state: 'verifying', version: 4 });
      expect(stored!.leaseOwner).toBeUndefined();
      const events = (await store.eventsOf([action.id])).get(action.id)!;
      expect(events.map(e => `${e.from}->${e.to} ${e.actor}`)).toEqual([
        'null->planned user:default/jane',
        'planned->applying replica:replica-a',
        'applying->verifying replica:replica-b',
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps a dry-run action and one in backoff out of the runnable ones, %p',
    async id => {
      const store = await create(id);
      await store.create({ ...hibernate('a'), dryRun: true }, planned);
      const { action } = await store.create(hibernate('b'), planned);
      const claimed = (await store.claim(action, 'r', t0, 10_000))!;
      const started = transition(
        progressOf(claimed),
        { type: 'start' },
        t0,
        policy,
      );
      const failed = transition(
        started.next,
        { type: 'stepFailed', error: '503', retryable: true },
        t0,
        policy,
      );
      await store.advance(claimed, {
        progress: failed.next,
        lease: null,
        now: t0,
      });
      expect(await store.runnable(later(500))).toHaveLength(0);
      const [retry] = await store.runnable(later(1_000));
      expect(retry).toMatchObject({
        idempotencyKey: 'b',
        attempts: 1,
        lastError: '503',
      });
    },
  );
});
