import { WorkloadReadiness } from '@modelfleet/plugin-modelfleet-node';
import { LabelSelector } from './pods';

/** The part of a Deployment or StatefulSet the actuator reads. */
export interface Workload {
  metadata?: { generation?: number };
  spec?: { replicas?: number; selector?: LabelSelector };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    observedGeneration?: number;
  };
}

/** A workload's readiness, from the object as the API server returned it. */
export function readinessOf(object: Workload): WorkloadReadiness {
  return {
    // The API server defaults spec.replicas to 1.
    desired: object.spec?.replicas ?? 1,
    ready: object.status?.readyReplicas ?? 0,
    updated: object.status?.updatedReplicas ?? 0,
    // The API server leaves out a count of zero.
    total: object.status?.replicas ?? 0,
    observed:
      (object.status?.observedGeneration ?? 0) >=
      (object.metadata?.generation ?? 0),
  };
}
