import { AuditorService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { planModelAction, ModelTarget } from '../engines/actions/modelPlans';
import { ActionRunner } from './ActionRunner';
import { ActionService } from './ActionService';
import { createActuatorDirectory } from './actuatorDirectory';

jest.setTimeout(60_000);

const retry = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 8_000,
  pollMs: 500,
};
const workload = {
  cluster: 'c1',
  namespace: 'vision',
  kind: 'Deployment' as const,
  name: 'sdxl',
};
const autoscaler = {
  cluster: 'c1',
  namespace: 'vision',
  kind: 'ScaledObject' as const,
  name: 'sdxl',
};

function target(replicas: number, paused?: number): ModelTarget {
  return {
    entityRef: 'model:default/sdxl',
    workload,
    autoscaler: {
      ...autoscaler,
      minReplicas: 0,
      maxReplicas: 4,
      ...(paused === undefined ? {} : { pausedReplicas: paused }),
    },
    replicas: { desired: replicas, ready: replicas },
  };
}

/** Auditor events as recorded. */
function recordingAuditor() {
  const events: Array<{ meta: any; outcome: 'success' | 'fail' }> = [];
  const auditor: AuditorService = {
    async createEvent(options) {
      return {
        async success() {
          events.push({ meta: options.meta, outcome: 'success' });
        },
        async fail() {
          events.push({ meta: options.meta, outcome: 'fail' });
        },
      };
    },
  };
  return { auditor, events };
}

describe('ActionRunner', () => {
  const databases = createTestDatabases();

  async function setup(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    const store = new ActionStore(
      (await DatabaseModelFleetStore.fromKnex(knex)).knex,
    );
    const cluster = new MemoryActuator(['c1']);
    const actuators = createActuatorDirectory(() => [cluster]);
    let now = new Date('2026-12-03T10:00:00Z');
    const clock = {
      now: () => now,
      advance: (ms: number) => {
        now = new Date(now.getTime() + ms);
      },
    };
    const { auditor, events: audit } = recordingAuditor();
    const logger = mockServices.logger.mock();
    const service = new ActionService({
      store,
      actuators,
      retry,
      auditor,
      logger,
      now: clock.now,
    });
    const runner = (owner: string) =>
      new ActionRunner({
        store,
        actuators,
        retry,
        leaseMs: 30_000,
        pollMs: 10,
        owner,
        auditor,
        logger,
        now: clock.now,
      });
    const request = async (
      t: ModelTarget,
      kind: 'hibernate' | 'wake',
      dryRun = false,
      key = `${kind}-1`,
    ) => {
      const plan = planModelAction(t, { kind });
      if (!plan.ok) throw new Error(plan.reason);
      return (
        await service.request({
          idempotencyKey: key,
          kind: plan.kind,
          entityRef: t.entityRef,
          cluster: plan.cluster,
          steps: plan.steps,
          dryRun,
          requestedBy: 'user:default/jane',
          reason: plan.summary,
        })
      ).action;
    };
    return { store, cluster, clock, audit, service, runner, request };
  }

  it.each(databases.eachSupportedId())(
    'hibernates a model held at 2 by a paused autoscaler: resumes it, scales to zero, verifies, audits every transition, %p',
    async id => {
      const { cluster, service, runner, request, audit } = await setup(id);
      cluster.addModel(workload, 2, { paused: 2 });
      const action = await request(target(2, 2), 'hibernate');
      expect(action.diff?.map(d => d.changes.map(c => c.path)).flat()).toEqual([
        'metadata.annotations.autoscaling.keda.sh/paused-replicas',
        'spec.replicas',
      ]);
      expect(await runner('replica:a').runOnce()).toBe(1);
      const done = (await service.get(action.id))!;
      expect(done.state).toBe('done');
      expect(done.leaseOwner).toBeUndefined();
      expect((cluster.workload(workload).spec as any).replicas).toBe(0);
      expect(cluster.autoscaler(autoscaler).metadata.annotations).toEqual({});
      // The undo of each change holds the value read just before it ran.
      expect(done.steps[0].undo).toMatchObject({
        op: 'pauseAutoscaler',
        replicas: 2,
      });
      expect(done.steps[1].undo).toMatchObject({ op: 'scale', replicas: 2 });
      expect(done.events!.map(e => `${e.from}->${e.to}`)).toEqual([
        'null->planned',
        'planned->applying',
        'applying->applying',
        'applying->applying',
        'applying->verifying',
        'verifying->done',
      ]);
      expect(audit.map(e => e.meta.to)).toEqual(done.events!.map(e => e.to));
      expect(audit[1].meta).toMatchObject({
        entityRef: 'model:default/sdxl',
        cluster: 'c1',
        actor: 'replica:a',
        step: 0,
      });
      expect([...cluster.changes.entries()]).toEqual([
        ['hibernate-1#0', 1],
        ['hibernate-1#1', 1],
      ]);
    },
  );

  it.each(databases.eachSupportedId())(
    'retries a 503 after its backoff, releasing the lease meanwhile, %p',
    async id => {
      const { cluster, service, runner, request, clock } = await setup(id);
      cluster.addModel(workload, 1, {});
      cluster.failures.set('scale', ['unavailable']);
      const action = await request(target(1), 'hibernate');
      await runner('replica:a').runOnce();
      let a = (await service.get(action.id))!;
      expect(a).toMatchObject({
        state: 'applying',
        stepIndex: 0,
        attempts: 1,
        lastError: 'scale failed: unavailable',
      });
      expect(a.leaseOwner).toBeUndefined();
      expect(await runner('replica:b').runOnce()).toBe(0);
      clock.advance(1_000);
      await runner('replica:b').runOnce();
      a = (await service.get(action.id))!;
      expect(a.state).toBe('done');
      expect(a.events!.some(e => e.outcome === 'retrying')).toBe(true);
    },
  );

  it.each(databases.eachSupportedId())(
    'rolls back from the step that failed for good down to the first, %p',
    async id => {
      const { cluster, service, runner, request, audit } = await setup(id);
      cluster.addModel(workload, 2, { paused: 2 });
      cluster.failures.set('scale', ['forbidden']);
      const action = await request(target(2, 2), 'hibernate');
      await runner('replica:a').runOnce();
      const a = (await service.get(action.id))!;
      expect(a.state).toBe('rolledBack');
      expect(a.lastError).toBe('scale failed: forbidden');
      // The resumed autoscaler is paused again at 2, as it was.
      expect(cluster.autoscaler(autoscaler).metadata.annotations).toEqual({
        'autoscaling.keda.sh/paused-replicas': '2',
      });
      expect((cluster.workload(workload).spec as any).replicas).toBe(2);
      expect(a.events!.map(e => e.to).slice(-3)).toEqual([
        'rollingBack',
        'rollingBack',
        'rolledBack',
      ]);
      expect(
        audit.filter(e => e.outcome === 'fail').map(e => e.meta.to),
      ).toEqual(['rollingBack']);
    },
  );

  it.each(databases.eachSupportedId())(
    'resumes an action whose replica died after changing the cluster but before recording it, and changes nothing twice, %p',
    async id => {
      const { cluster, store, service, runner, request, clock } = await setup(
        id,
      );
      cluster.addModel(workload, 1, {});
      const action = await request(target(1), 'hibernate');
      // Replica a claims the action and stops inside the scale step, just
      // after the cluster call returned.
      const a = runner('replica:a');
      cluster.beforeCall = async method => {
        if (method === 'scale') {
          cluster.beforeCall = undefined;
          await cluster.scale(workload, 0, { actionStep: 'hibernate-1#0' });
          throw Object.assign(new Error('killed'), { name: 'Killed' });
        }
      };
      const original = store.advance.bind(store);
      const spy = jest
        .spyOn(store, 'advance')
        .mockImplementation(async (act, update) => {
          // The record of what happened never reaches the database.
          if (update.event?.outcome === 'retrying') {
            throw new Error('replica a is dead');
          }
          return original(act, update);
        });
      await a.runOnce();
      spy.mockRestore();
      const stuck = (await service.get(action.id))!;
      expect(stuck).toMatchObject({
        state: 'applying',
        stepIndex: 0,
        leaseOwner: 'replica:a',
      });
      // Within the lease nobody else takes it; after it, replica b does.
      expect(await runner('replica:b').runOnce()).toBe(0);
      clock.advance(30_001);
      expect(await runner('replica:b').runOnce()).toBe(1);
      const done = (await service.get(action.id))!;
      expect(done.state).toBe('done');
      expect(done.steps[0].undo).toMatchObject({ replicas: 1 });
      expect(cluster.changes.get('hibernate-1#0')).toBe(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'renews its lease while a cluster call outlasts it, so no other replica takes the action over, %p',
    async id => {
      const { cluster, store, service, request, clock } = await setup(id);
      cluster.addModel(workload, 1, {});
      const action = await request(target(1), 'hibernate');
      const logger = mockServices.logger.mock();
      const make = (owner: string) =>
        new ActionRunner({
          store,
          actuators: createActuatorDirectory(() => [cluster]),
          retry,
          leaseMs: 1_200,
          pollMs: 10,
          owner,
          logger,
          now: clock.now,
        });
      let takenOver: number | undefined;
      cluster.beforeCall = async method => {
        if (method !== 'scale') return;
        cluster.beforeCall = undefined;
        // The call takes longer than the lease; the heartbeat renews it.
        clock.advance(1_000);
        await new Promise(r => setTimeout(r, 700));
        clock.advance(1_000);
        takenOver = await make('replica:b').runOnce();
      };
      await make('replica:a').runOnce();
      expect(takenOver).toBe(0);
      const done = (await service.get(action.id))!;
      expect(done.state).toBe('done');
      expect(new Set(done.events!.map(e => e.actor))).toEqual(
        new Set(['user:default/jane', 'replica:a']),
      );
    },
  );

  it.each(databases.eachSupportedId())(
    'two replicas on one database run each of 12 actions once, %p',
    async id => {
      const { cluster, service, runner } = await setup(id);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const w = { ...workload, name: `m${i}` };
        cluster.addModel(w, 1);
        const plan = planModelAction(
          {
            entityRef: `model:default/m${i}`,
            workload: w,
            replicas: { desired: 1, ready: 1 },
          },
          { kind: 'hibernate' },
        );
        if (!plan.ok) throw new Error(plan.reason);
        const { action } = await service.request({
          idempotencyKey: `h-${i}`,
          kind: plan.kind,
          entityRef: `model:default/m${i}`,
          cluster: 'c1',
          steps: plan.steps,
          dryRun: false,
          requestedBy: 'policy:hibernation',
          reason: 'idle',
        });
        ids.push(action.id);
      }
      const a = runner('replica:a');
      const b = runner('replica:b');
      let driven = 0;
      for (;;) {
        const counts = await Promise.all([a.runOnce(), b.runOnce()]);
        if (counts.every(n => n === 0)) break;
        driven += counts[0] + counts[1];
      }
      expect(driven).toBe(12);
      for (const actionId of ids) {
        expect((await service.get(actionId))!.state).toBe('done');
      }
      expect([...cluster.changes.values()].every(n => n === 1)).toBe(true);
      expect(cluster.changes.size).toBe(12);
    },
  );

  it.each(databases.eachSupportedId())(
    'leaves a dry-run action at planned with its diff until approved, %p',
    async id => {
      const { cluster, service, runner, request, clock } = await setup(id);
      cluster.addModel(workload, 0, {});
      const action = await request(target(0), 'wake', true);
      expect(action.diff).toEqual([
        expect.objectContaining({
          kind: 'ScaledObject',
          changes: [expect.objectContaining({ after: '1' })],
        }),
        expect.objectContaining({
          kind: 'Deployment',
          changes: [{ path: 'spec.replicas', before: 0, after: 1 }],
        }),
      ]);
      expect(await runner('replica:a').runOnce()).toBe(0);
      expect(cluster.changes.size).toBe(0);
      await service.approve(action.id, 'user:default/lead');
      cluster.autoReady = false;
      await runner('replica:a').runOnce();
      let a = (await service.get(action.id))!;
      // Waiting for the model to load: the lease is released between looks.
      expect(a).toMatchObject({
        state: 'applying',
        stepIndex: 2,
        approvedBy: 'user:default/lead',
      });
      expect(a.leaseOwner).toBeUndefined();
      cluster.settle();
      clock.advance(retry.pollMs);
      await runner('replica:a').runOnce();
      a = (await service.get(action.id))!;
      expect(a.state).toBe('done');
      expect(cluster.autoscaler(autoscaler).metadata.annotations).toEqual({
        'autoscaling.keda.sh/paused-replicas': '1',
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'fails a scale at once when someone else changes the count while it waits, and leaves their count, %p',
    async id => {
      const { cluster, service, runner, clock } = await setup(id);
      // No autoscaler: a schedule (a cron job) scales this Deployment too.
      cluster.addModel(workload, 2);
      const plan = planModelAction(
        {
          entityRef: 'model:default/sdxl',
          workload,
          replicas: { desired: 2, ready: 2 },
        },
        { kind: 'scale', replicas: 3 },
      );
      if (!plan.ok) throw new Error(plan.reason);
      const { action } = await service.request({
        idempotencyKey: 'scale-1',
        kind: plan.kind,
        entityRef: 'model:default/sdxl',
        cluster: 'c1',
        steps: plan.steps,
        dryRun: false,
        requestedBy: 'user:default/jane',
        reason: plan.summary,
      });
      cluster.autoReady = false;
      await runner('replica:a').runOnce();
      expect((await service.get(action.id))!).toMatchObject({
        state: 'applying',
        stepIndex: 1,
      });
      // The office-hours schedule ends: the cron job scales it to 1.
      await cluster.scale(workload, 1);
      cluster.settle();
      clock.advance(retry.pollMs);
      await runner('replica:a').runOnce();
      const a = (await service.get(action.id))!;
      expect(a.state).toBe('rolledBack');
      expect(a.lastError).toBe(
        'Deployment vision/sdxl was scaled to 1 replicas by someone else while ModelFleet waited for 3 to be ready',
      );
      // Its count stands: the undo does not put back the 2 it replaced.
      expect((cluster.workload(workload).spec as any).replicas).toBe(1);
      expect(a.events!.map(e => e.message).slice(-1)[0]).toContain(
        'left Deployment vision/sdxl at 1 replicas',
      );
      // The undo is guarded by the count the action set.
      expect(a.steps[0].undo).toMatchObject({ replicas: 2, ifReplicas: 3 });
    },
  );

  it.each(databases.eachSupportedId())(
    'ends a hibernation once KEDA, handed the model back, wakes it for a request, %p',
    async id => {
      const { cluster, service, runner, request, clock } = await setup(id);
      cluster.addModel(workload, 2, { paused: 2 });
      const action = await request(target(2, 2), 'hibernate');
      cluster.autoReady = false;
      await runner('replica:a').runOnce();
      expect((await service.get(action.id))!).toMatchObject({
        state: 'applying',
        stepIndex: 2,
      });
      // A request arrives; the resumed ScaledObject scales to 1.
      await cluster.scale(workload, 1);
      clock.advance(retry.pollMs);
      await runner('replica:a').runOnce();
      const a = (await service.get(action.id))!;
      expect(a.state).toBe('done');
      expect(a.events!.find(e => e.step === 2)?.message).toContain(
        'its autoscaler has taken it to 1 replicas',
      );
      expect(cluster.autoscaler(autoscaler).metadata.annotations).toEqual({});
    },
  );

  it.each(databases.eachSupportedId())(
    'puts the engine of a model of the sleep tier to sleep and wakes it; a sleep refused for good is undone by a wake, %p',
    async id => {
      const { cluster, service, runner } = await setup(id);
      cluster.addModel(workload, 2, undefined, true);
      const key = `c1/Deployment/vision/sdxl`;
      const run = async (kind: 'sleep' | 'wake', n: number) => {
        const sleeping = cluster.sleeping.get(key) ? 2 : 0;
        const plan = planModelAction(
          {
            entityRef: 'model:default/sdxl',
            workload,
            replicas: { desired: 2, ready: 2 },
            engine: { pods: 2, sleeping },
          },
          { kind },
        );
        if (!plan.ok) throw new Error(plan.reason);
        const { action } = await service.request({
          idempotencyKey: `${kind}-${n}`,
          kind: plan.kind,
          entityRef: 'model:default/sdxl',
          cluster: 'c1',
          steps: plan.steps,
          dryRun: false,
          requestedBy: 'policy:hibernation',
          reason: plan.summary,
        });
        await runner('replica:a').runOnce();
        return (await service.get(action.id))!;
      };
      const slept = await run('sleep', 1);
      expect(slept.state).toBe('done');
      expect(cluster.sleeping.get(key)).toBe(true);
      expect(
        slept.events!.find(e => e.step === 0 && e.outcome === 'succeeded')
          ?.message,
      ).toBe(
        'put to sleep (level 1) the engine of Deployment vision/sdxl in 2 pod(s); 0 were asleep',
      );
      const woken = await run('wake', 2);
      expect(woken.state).toBe('done');
      expect(cluster.sleeping.get(key)).toBe(false);
      // A model not deployed with the tier is refused by the actuator.
      cluster.addModel({ ...workload, name: 'plain' }, 1);
      expect(
        planModelAction(
          {
            entityRef: 'model:default/plain',
            workload: { ...workload, name: 'plain' },
            replicas: { desired: 1, ready: 1 },
          },
          { kind: 'sleep' },
        ),
      ).toEqual({
        ok: false,
        reason:
          'it was not deployed with the sleep idle tier (vLLM sleep mode behind a wake gate)',
      });
      // A sleep that fails for good is undone by a wake.
      cluster.failures.set('setEngineSleep', ['forbidden']);
      const refused = await run('sleep', 3);
      expect(refused.state).toBe('rolledBack');
      expect(refused.lastError).toBe('setEngineSleep failed: forbidden');
      expect(cluster.sleeping.get(key)).toBe(false);
    },
  );
});
