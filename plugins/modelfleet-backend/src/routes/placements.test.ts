import { ModelWorkloadObservation } from '@modelfleet/plugin-modelfleet-common';
import { modelLookupOf } from '../showback/ModelDirectory';
import { currentPlacements } from './placements';

const w = (
  name: string,
  over: Partial<ModelWorkloadObservation & { stale: boolean }> = {},
) => ({
  cluster: 'demo-aws-use1',
  namespace: 'search',
  kind: 'Deployment' as const,
  name,
  modelId: 'chat',
  replicas: { desired: 2, ready: 2 },
  gpusPerReplica: 1,
  pool: 'g6-l4',
  ...over,
});

describe('currentPlacements', () => {
  it('names every pool a model holds replicas on: its own, its companions and stand-in, after a move', () => {
    const modelOf = modelLookupOf([
      {
        metadata: { name: 'chat', namespace: 'default' },
        spec: {
          workload: {
            cluster: 'demo-aws-use1',
            namespace: 'search',
            name: 'chat',
          },
        },
      },
    ]);
    expect(
      currentPlacements(
        [
          w('chat', { pool: 'g6-l4-spot' }),
          w('chat-on-g6e-l40s-spot', { pool: 'g6e-l40s-spot' }),
          w('chat-on-demand', {
            pool: 'g6-l4',
            replicas: { desired: 0, ready: 0 },
          }),
          // Moved to GCP before: its parked source on AWS holds nothing.
          w('chat', {
            cluster: 'demo-gcp-usc1',
            pool: 'g2-l4',
          }),
          // Unknown pool, or a cluster that could not be read: left out.
          w('chat', { cluster: 'demo-azure-eastus', pool: undefined }),
          w('chat', { cluster: 'old', pool: 'x', stale: true }),
          w('embed', { modelId: 'embed', replicas: { desired: 0, ready: 0 } }),
        ],
        modelOf,
      ),
    ).toEqual([
      {
        entityRef: 'model:default/chat',
        pools: [
          'gpupool:default/demo-aws-use1.g6-l4-spot',
          'gpupool:default/demo-aws-use1.g6e-l40s-spot',
          'gpupool:default/demo-gcp-usc1.g2-l4',
        ],
      },
    ]);
  });
});
