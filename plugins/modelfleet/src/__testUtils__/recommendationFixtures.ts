import { Recommendation } from '@modelfleet/plugin-modelfleet-common';

/** A recommendation shaped like the backend's, for the search reranker. */
export function recommendation(
  overrides: Partial<Recommendation> = {},
): Recommendation {
  return {
    id: 'rightsizing-0123456789abcdef',
    kind: 'rightsizing',
    subject: {
      modelRef: 'model:default/search-reranker',
      poolRef: 'gpupool:default/demo-aws-use1.g5-a10g',
      teamRef: 'group:default/search-team',
    },
    title: 'Run search-reranker on 1 replica instead of 2',
    monthlySavingUsd: 734.2,
    disruption: {
      level: 'restart',
      podsAffected: 1,
      description: '1 pod stopped',
    },
    confidence: { level: 'high', reason: '14 days of metrics' },
    evidence: [
      'The peak GPU memory over 14 days was 9.1 GiB of 24 GiB.',
      'At p95 the traffic needs 0.6 replicas.',
    ],
    source: {
      type: 'rightsizing',
      option: 'fewer-replicas',
      pool: 'gpupool:default/demo-aws-use1.g5-a10g',
      replicas: 1,
      gpusPerReplica: 1,
    },
    applicable: { allowed: true },
    state: 'open',
    ...overrides,
  };
}

/** The empty nca100 pool of the demo: a saving nobody can apply yet. */
export const emptyPool = recommendation({
  id: 'empty-capacity-fedcba9876543210',
  kind: 'empty-capacity',
  subject: { poolRef: 'gpupool:default/demo-azure-eastus.nca100' },
  title: 'Remove the 2 idle nodes of nca100',
  monthlySavingUsd: 2681.04,
  disruption: {
    level: 'none',
    podsAffected: 0,
    description: 'No pod runs there',
  },
  confidence: { level: 'medium', reason: 'the last sync saw the nodes idle' },
  evidence: ['Nothing ran on nca100 for 30 days.'],
  source: {
    type: 'showback',
    poolRef: 'gpupool:default/demo-azure-eastus.nca100',
    idleNodes: 2,
  },
  applicable: {
    allowed: false,
    reason: 'no action changes a pool’s size yet',
  },
});
