import {
  ActuatorChangeOptions,
  ActuatorError,
  NodePoolApi,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';

/**
 * A cloud's node pools held in memory behind the `NodePoolApi` interface,
 * for the backend's tests; the cloud modules test theirs against their
 * clouds' wire formats. Changes are counted per action step.
 */
export class MemoryNodePools implements NodePoolApi {
  readonly id = 'memory-pools';
  readonly pools = new Map<string, NodePoolSize>();
  readonly changes = new Map<string, number>();
  /** Failures to throw from `setMinimum`, in order. */
  readonly failures: Array<ActuatorError> = [];

  constructor(readonly clusters: string[] = ['c1']) {}

  add(cluster: string, pool: string, size: NodePoolSize) {
    this.pools.set(`${cluster}/${pool}`, { ...size });
  }

  async listClusters() {
    return this.clusters;
  }

  private find(ref: NodePoolRef): NodePoolSize {
    const size = this.pools.get(`${ref.cluster}/${ref.pool}`);
    if (!size) {
      throw new ActuatorError(
        'notFound',
        `${ref.cluster}: node pool ${ref.pool} not found`,
        false,
      );
    }
    return size;
  }

  async size(ref: NodePoolRef) {
    return { ...this.find(ref) };
  }

  async setMinimum(
    ref: NodePoolRef,
    min: number,
    options: ActuatorChangeOptions = {},
  ) {
    const size = this.find(ref);
    const previous = { ...size };
    const failure = this.failures.shift();
    if (failure) throw failure;
    if (!Number.isInteger(min) || min < 0 || min > size.max) {
      throw new ActuatorError(
        'invalid',
        `${ref.cluster}: node pool ${ref.pool}: minimum ${min} is not between 0 and its maximum ${size.max}`,
        false,
      );
    }
    if (size.min !== min && !options.dryRun) {
      size.min = min;
      const step = options.actionStep ?? '';
      this.changes.set(step, (this.changes.get(step) ?? 0) + 1);
    }
    return { previous };
  }
}
