import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseModelFleetStore } from '../database/DatabaseModelFleetStore';
import { TaskRegistry } from './TaskRegistry';

describe('TaskRegistry', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('records a failed run with its error and rethrows', async () => {
    const store = await DatabaseModelFleetStore.fromKnex(
      await databases.init('SQLITE_3'),
    );
    const times = [
      new Date('2026-11-24T00:00:00Z'),
      new Date('2026-11-24T00:00:02Z'),
    ];
    const registry = new TaskRegistry({
      scheduler: mockServices.scheduler.mock(),
      store,
      logger: mockServices.logger.mock(),
      clock: () => times.shift()!,
    });
    const task = {
      id: 'flaky',
      schedule: { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
      run: async () => {
        throw new Error('cluster unreachable');
      },
    };
    await registry.schedule(task);
    await expect(registry.runOnce(task)).rejects.toThrow('cluster unreachable');
    expect(await registry.status()).toEqual([
      {
        id: 'flaky',
        schedule: 'every 1 minute',
        scope: 'global',
        lastRun: {
          taskId: 'flaky',
          startedAt: '2026-11-24T00:00:00.000Z',
          finishedAt: '2026-11-24T00:00:02.000Z',
          status: 'failed',
          detail: 'cluster unreachable',
        },
      },
    ]);
  });

  it('runs a loop now through the scheduler when asked, and knows its loops', async () => {
    const store = await DatabaseModelFleetStore.fromKnex(
      await databases.init('SQLITE_3'),
    );
    const registry = new TaskRegistry({
      scheduler: mockServices.scheduler(),
      store,
      logger: mockServices.logger.mock(),
    });
    let runs = 0;
    await registry.schedule({
      id: 'modelfleet-showback',
      schedule: { frequency: { hours: 6 }, timeout: { minutes: 1 } },
      run: async () => `run ${++runs}`,
    });
    expect(registry.has('modelfleet-showback')).toBe(true);
    expect(registry.has('modelfleet-nothing')).toBe(false);
    await registry.trigger('modelfleet-showback');
    expect(runs).toBe(1);
    const [status] = await registry.status();
    expect(status.lastRun).toMatchObject({
      status: 'succeeded',
      detail: 'run 1',
    });
  });
});
