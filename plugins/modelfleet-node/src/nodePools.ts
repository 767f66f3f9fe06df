import type { ActuatorChangeOptions } from './actuator';

/**
 * A node pool of a cluster, by the name its nodes carry in their pool
 * label: the EKS managed node group (`eks.amazonaws.com/nodegroup`), the
 * GKE node pool (`cloud.google.com/gke-nodepool`) or the AKS agent pool
 * (`kubernetes.azure.com/agentpool`). `cluster` is the cluster's name in
 * `kubernetes.clusterLocatorMethods`.
 *
 * @public
 */
export interface NodePoolRef {
  cluster: string;
  pool: string;
}

/**
 * A node pool's size bounds on its cloud: what its cluster autoscaler may
 * scale it between, and the nodes the cloud runs now where it says.
 *
 * @public
 */
export interface NodePoolSize {
  min: number;
  max: number;
  desired?: number;
}

/**
 * A cloud's node-pool API: reads a pool's size bounds and lowers (or
 * raises) its minimum, so that its cluster autoscaler may remove idle
 * nodes the minimum kept. Implemented by the cloud modules (EKS
 * `UpdateNodegroupConfig`, GKE `setAutoscaling`, AKS agent pools) and the
 * demo; registered with `addNodePoolApi`. ModelFleet never calls it
 * directly: the backend serves a cluster actuator's `setPoolMinimum` and
 * `poolSize` with the node-pool API that manages the cluster, so a pool's
 * size changes through the one door, as a step of a stored action.
 *
 * Errors are `ActuatorError`s (`notFound` for a pool the cloud does not
 * have, `forbidden`, `unavailable` and `timeout` retryable, `invalid` for
 * a minimum the cloud refuses), with the cloud's message.
 *
 * @public
 */
export interface NodePoolApi {
  /** Unique id, e.g. `aws-eks`. */
  readonly id: string;
  /** The clusters whose node pools it manages, by name. */
  listClusters(): Promise<string[]>;
  /** The pool's size bounds now. */
  size(pool: NodePoolRef): Promise<NodePoolSize>;
  /**
   * Sets the pool's minimum size, leaving its maximum; a pool already at
   * that minimum is left as it is. The nodes the cloud runs are left to
   * the cluster autoscaler (raised to the minimum where the cloud requires
   * desired ≥ min). `dryRun` checks without changing. Returns the size
   * before.
   */
  setMinimum(
    pool: NodePoolRef,
    min: number,
    options?: ActuatorChangeOptions,
  ): Promise<{ previous: NodePoolSize }>;
}
