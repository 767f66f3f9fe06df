import { pool } from '../__testUtils__/fixtures';
import { modelNowOf } from './modelNow';

const workload = (name: string, poolName: string, replicas: number) => ({
  cluster: 'c1',
  namespace: 'ns',
  kind: 'Deployment' as const,
  name,
  modelId: name,
  replicas: { desired: replicas, ready: replicas },
  gpusPerReplica: 1,
  pool: poolName,
});

const modelOf = (w: { name: string }) => ({
  modelRef: `model:default/${w.name.replace(/-fallback$/, '')}`,
  teamRef: 'group:default/t',
});

describe('modelNowOf', () => {
  const l4 = pool('c1', 'l4');
  const mig = {
    ...pool('c1', 'mig'),
    gpu: {
      product: 'NVIDIA-A100-SXM4-80GB',
      memoryMiB: 81920,
      perNode: 8,
      sharing: 'mig' as const,
      replicasPerGpu: 7,
    },
  };

  it("sums a model's replicas and gives one replica's GPU memory on its main pool", () => {
    expect(
      modelNowOf(
        'model:default/chat',
        [
          workload('chat', 'l4', 3),
          workload('chat-fallback', 'l4', 1),
          workload('other', 'l4', 5),
        ],
        [l4, mig],
        modelOf,
      ),
    ).toEqual({
      replicas: 4,
      gpusPerReplica: 1,
      memoryPerReplicaMiB: 23034,
      gpu: 'L4',
    });
  });

  it('counts a MIG slice as its share of a GPU', () => {
    const now = modelNowOf(
      'model:default/small',
      [workload('small', 'mig', 2)],
      [l4, mig],
      modelOf,
    )!;
    expect(now.gpusPerReplica).toBeCloseTo(1 / 7, 9);
    expect(now.memoryPerReplicaMiB).toBeCloseTo(81920 / 7, 9);
  });

  it('knows nothing of a model no workload runs, nor the memory of an unknown pool', () => {
    expect(modelNowOf('model:default/none', [], [l4], modelOf)).toBeUndefined();
    expect(
      modelNowOf(
        'model:default/chat',
        [workload('chat', 'gone', 1)],
        [],
        modelOf,
      ),
    ).toEqual({
      replicas: 1,
      gpusPerReplica: 1,
      memoryPerReplicaMiB: null,
      gpu: null,
    });
  });
});
