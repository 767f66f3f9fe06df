import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ModelWorkloadObservation } from '@modelfleet/plugin-modelfleet-common';
import { MetricsSource } from '@modelfleet/plugin-modelfleet-node';
import { ActionService } from '../actions/ActionService';
import { ModelTargets } from '../actions/ModelTargets';
import { createActuatorDirectory } from '../actions/actuatorDirectory';
import { MemoryActuator } from '../__testUtils__/MemoryActuator';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { ActionStore } from '../database/ActionStore';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { FleetStateStore } from '../database/FleetStateStore';
import { HibernationStore } from '../database/HibernationStore';
import { PolicyService } from '../policy/PolicyService';
import { readPolicyConfig } from '../policy/policyConfig';
import { HIBERNATION_ACTOR, HibernationLoop } from './HibernationLoop';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-12-04T12:00:00Z');
const TEAMS = ['vision-team', 'search-team', 'speech-team'] as const;
const model = (i: number) => ({
  name: `m${i}`,
  team: TEAMS[i],
  workload: {
    cluster: 'c1',
    namespace: 'ml',
    kind: 'Deployment' as const,
    name: `m${i}`,
  },
});
const MODELS = [0, 1, 2].map(model);

/** Requests in one minute of every five, for two days, then 20 min of silence. */
const metrics: MetricsSource = {
  id: 'test',
  async query(_metric, _model, window) {
    const points: Array<[number, number]> = [];
    const end = window.end.getTime() / 1000;
    for (
      let t = window.start.getTime() / 1000 + 60;
      t <= end;
      t += window.stepSeconds
    ) {
      const busy = t < end - 20 * 60 && Math.floor(t / 60) % 5 === 0;
      points.push([t, busy ? 0.5 : 0]);
    }
    return [{ labels: {}, points }];
  },
};

describe('HibernationLoop', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'sets the learned keep-alive under enforce, recommends it dry-run under recommend, leaves a model under off, %p',
    async id => {
      const knex = (
        await DatabaseModelFleetStore.fromKnex(await databases.init(id))
      ).knex;
      const cluster = new MemoryActuator(['c1']);
      for (const m of MODELS) cluster.addModel(m.workload, 1, {});
      const actuators = createActuatorDirectory(() => [cluster]);
      const workloads: ModelWorkloadObservation[] = MODELS.map(m => ({
        ...m.workload,
        modelId: m.name,
        replicas: { desired: 1, ready: 1 },
        gpusPerReplica: 1,
      }));
      const fleet = {
        listWorkloads: async () => workloads,
      } as unknown as FleetStateStore;
      const entities = MODELS.map(m => ({
        apiVersion: 'modelfleet.io/v1alpha1',
        kind: 'Model',
        metadata: { name: m.name, namespace: 'default' },
        spec: { owner: `group:default/${m.team}`, workload: m.workload },
      }));
      const catalog = catalogServiceMock({ entities });
      const policies = new PolicyService(
        readPolicyConfig(
          new ConfigReader({
            modelfleet: {
              policies: {
                defaults: { dryRun: true },
                teams: {
                  'vision-team': {
                    dryRun: false,
                    hibernation: { mode: 'enforce' },
                  },
                  'search-team': { hibernation: { mode: 'recommend' } },
                  'speech-team': { hibernation: { mode: 'off' } },
                },
              },
            },
          }),
        ),
      );
      const logger = mockServices.logger.mock();
      const actions = new ActionService({
        store: new ActionStore(knex),
        actuators,
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10, pollMs: 10 },
        logger,
      });
      const store = new HibernationStore(knex);
      const loop = new HibernationLoop({
        fleet,
        directory: {
          lookup: async () => w => {
            const m = MODELS.find(x => x.name === w.modelId)!;
            return {
              modelRef: `model:default/${m.name}`,
              teamRef: `group:default/${m.team}`,
            };
          },
        },
        targets: new ModelTargets({ catalog, fleet, actuators }),
        actuators,
        metrics: () => [metrics],
        policies,
        actions,
        store,
        auth: mockServices.auth(),
        settings: { historyHours: 48, stepSeconds: 60, defaultLoadSeconds: 60 },
        logger,
        now: () => new Date(NOW),
      });

      expect(await loop.run()).toBe(
        '3 model(s): 1 acted on, 1 recommended, 1 left as they are',
      );
      const [enforced] = await actions.list({ entityRef: 'model:default/m0' });
      expect(enforced).toMatchObject({
        kind: 'keepAlive',
        dryRun: false,
        state: 'planned',
        requestedBy: HIBERNATION_ACTOR,
      });
      const op = enforced.steps[0].do;
      expect(op.op).toBe('setKeepAlive');
      const seconds = op.op === 'setKeepAlive' ? op.seconds : 0;
      // Gaps of four minutes: kept warm through them, not for KEDA's 300 s.
      expect(seconds).toBeGreaterThanOrEqual(240);
      expect(seconds).not.toBe(300);
      const [recommended] = await actions.list({
        entityRef: 'model:default/m1',
      });
      expect(recommended).toMatchObject({ kind: 'keepAlive', dryRun: true });
      expect(await actions.list({ entityRef: 'model:default/m2' })).toEqual([]);

      const record = await store.get('model:default/m0');
      expect(record).toMatchObject({
        state: 'warm',
        keepAliveSeconds: seconds,
        decision: { action: 'setKeepAlive', actionId: enforced.id },
      });
      // Idle 20 min, past its keep-alive: KEDA takes it to zero next.
      expect(record!.nextChange).toBeUndefined();
      expect((await store.get('model:default/m2'))!.decision).toMatchObject({
        action: 'none',
        reason: "hibernation is off in the team's policy",
      });

      // Again: the change in flight is not asked for twice.
      expect(await loop.run()).toBe(
        '3 model(s): 0 acted on, 0 recommended, 3 left as they are',
      );
      expect(
        await actions.list({ entityRef: 'model:default/m0' }),
      ).toHaveLength(1);

      // A model seen at zero that has a ready replica at the next pass woke.
      cluster.workload(MODELS[2].workload).spec = { replicas: 0 };
      cluster.workload(MODELS[2].workload).status = { readyReplicas: 0 };
      await loop.run();
      expect((await store.get('model:default/m2'))!.state).toBe('atZero');
      cluster.workload(MODELS[2].workload).spec = { replicas: 1 };
      cluster.workload(MODELS[2].workload).status = { readyReplicas: 1 };
      await loop.run();
      expect(
        await store.wakes('model:default/m2', new Date(0), new Date(NOW + 1)),
      ).toEqual([
        {
          entityRef: 'model:default/m2',
          startedAt: new Date(NOW).toISOString(),
          readyAt: new Date(NOW).toISOString(),
          seconds: 0,
          cold: true,
        },
      ]);
    },
  );
});
