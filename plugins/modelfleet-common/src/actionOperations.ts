/**
 * The operations of an action's steps: what one step does to a cluster.
 */
import type { AutoscalerRef, KubeObject, WorkloadRef } from './actions';

/**
 * One thing an action does to a cluster. Every operation is idempotent:
 * doing it twice leaves the cluster as doing it once.
 *
 * @public
 */
export type ActionOperation =
  | {
      /** Server-side apply of the objects with field manager `modelfleet`. */
      op: 'apply';
      cluster: string;
      objects: KubeObject[];
    }
  | {
      /** Set a workload's replicas (the `scale` subresource). */
      op: 'scale';
      workload: WorkloadRef;
      replicas: number;
      /**
       * True when an autoscaler may change the replicas afterwards (a KEDA
       * scaler that wakes the model on demand): the action's verification
       * does not hold the replicas to this value.
       */
      autoscaled?: boolean;
      /**
       * A guard for an undo: scale only while the workload still wants
       * this many replicas (what the action set). When someone else (a
       * schedule, a person, another controller) has changed the count
       * since, their count stands and the undo leaves it.
       */
      ifReplicas?: number;
    }
  | {
      /**
       * Pause a KEDA autoscaler at a replica count
       * (`autoscaling.keda.sh/paused-replicas`), or resume it (`null`).
       */
      op: 'pauseAutoscaler';
      autoscaler: AutoscalerRef;
      replicas: number | null;
    }
  | {
      /**
       * Set a scale-to-zero keep-alive: `spec.cooldownPeriod` of a
       * `ScaledObject`, `spec.scaledownPeriod` of an `HTTPScaledObject`.
       */
      op: 'setKeepAlive';
      autoscaler: AutoscalerRef;
      seconds: number;
    }
  | {
      /**
       * Put the serving engine of each Ready pod of the workload to sleep
       * (vLLM sleep mode, `level` 1: weights to host memory, GPU memory
       * released), or wake it (`level` null). For models deployed with the
       * sleep idle tier (`modelfleet.io/idle-tier: sleep`), whose wake gate
       * wakes the engine on the next request.
       */
      op: 'sleepEngine';
      workload: WorkloadRef;
      level: 1 | null;
    }
  | {
      /**
       * Delete an object. Only a Multi-Cluster Services `ServiceExport`
       * (`multicluster.x-k8s.io/v1alpha1`) is ever deleted: it switches a
       * model's traffic away from a cluster. Absent already is done.
       */
      op: 'remove';
      cluster: string;
      object: {
        apiVersion: string;
        kind: string;
        namespace: string;
        name: string;
      };
    }
  | {
      /**
       * Cordon a node (`spec.unschedulable: true`: the scheduler places no
       * new pod there), or uncordon it (`false`). What a consolidation does
       * first to a node it empties, and what its rollback undoes.
       */
      op: 'cordon';
      cluster: string;
      node: string;
      unschedulable: boolean;
    }
  | {
      /**
       * Evict the model pods on a node (those labelled
       * `modelfleet.io/model`) through the Eviction API, as
       * `kubectl drain --ignore-daemonsets` does, so their controllers
       * place them again on other nodes; each pod's PodDisruptionBudget
       * holds back what it protects, and the next pass tries again. Done
       * once no model pod is left on the node. DaemonSet and mirror pods
       * stay; any other pod on the node stops the drain before it evicts
       * anything (ModelFleet evicts only what it runs).
       */
      op: 'drain';
      cluster: string;
      node: string;
      timeoutSeconds: number;
    }
  | {
      /**
       * Set a node pool's minimum size on its cloud (the EKS node group,
       * GKE node pool or AKS agent pool `pool` of the cluster), through the
       * cloud's node-pool API that manages the cluster; its maximum stays.
       * Lowering it lets the cluster autoscaler remove idle nodes the
       * minimum kept.
       */
      op: 'setPoolMinimum';
      cluster: string;
      pool: string;
      min: number;
    }
  | {
      /**
       * Wait until the workload has this many ready replicas. When its
       * count is changed meanwhile by someone else, the wait fails at once
       * (it would never be met), unless `autoscaled`.
       */
      op: 'waitReady';
      workload: WorkloadRef;
      replicas: number;
      timeoutSeconds: number;
      /**
       * True when an autoscaler owns the count now (Hibernate hands the
       * model back to KEDA): when it changes the count, the wait is over.
       */
      autoscaled?: boolean;
    };
