import {
  DescribeNodegroupCommand,
  EKSClient,
  UpdateNodegroupConfigCommand,
} from '@aws-sdk/client-eks';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ActuatorChangeOptions,
  ActuatorError,
  NodePoolApi,
  NodePoolRef,
  NodePoolSize,
} from '@modelfleet/plugin-modelfleet-node';
import { AwsClientOptions, perRegion, sdkClientConfig } from './client';
import {
  checkMinimum,
  eksActuatorError,
  scalingForMinimum,
  sizeOfScaling,
} from './eksNodePoolLogic';

/**
 * Where one cluster of `kubernetes.clusterLocatorMethods` runs on EKS.
 *
 * @public
 */
export interface EksClusterLocation {
  /** The EKS cluster's name. */
  eksCluster: string;
  /** Its AWS region, e.g. us-east-1. */
  region: string;
}

/**
 * Options of {@link EksNodePoolApi}.
 *
 * @public
 */
export interface EksNodePoolApiOptions extends AwsClientOptions {
  /** The EKS cluster of each managed cluster, by its ModelFleet name. */
  clusters: Record<string, EksClusterLocation>;
  /** Milliseconds a request may take before it fails with `timeout`. Defaults to 30 000. */
  requestTimeoutMs?: number;
  /** Where each change is logged; nothing is logged without it. */
  logger?: LoggerService;
}

/** Default time a request to EKS may take. */
export const DEFAULT_EKS_REQUEST_TIMEOUT_MS = 30_000;

/**
 * The node-pool API of EKS managed node groups: reads a node group's
 * `scalingConfig` with `DescribeNodegroup` and sets its minimum with
 * `UpdateNodegroupConfig` (the maximum kept; the desired size kept unless
 * below the new minimum), so the cluster autoscaler may remove the idle
 * GPU nodes a minimum kept. Needs `eks:DescribeNodegroup` and
 * `eks:UpdateNodegroupConfig`.
 *
 * @public
 */
export class EksNodePoolApi implements NodePoolApi {
  readonly id = 'aws-eks';

  constructor(private readonly options: EksNodePoolApiOptions) {}

  private readonly client = perRegion(
    region =>
      new EKSClient({
        ...sdkClientConfig(region, this.options),
        requestHandler: {
          requestTimeout:
            this.options.requestTimeoutMs ?? DEFAULT_EKS_REQUEST_TIMEOUT_MS,
          throwOnRequestTimeout: true,
        },
      }),
  );

  async listClusters(): Promise<string[]> {
    return Object.keys(this.options.clusters);
  }

  async size(ref: NodePoolRef): Promise<NodePoolSize> {
    const location = this.location(ref);
    let output;
    try {
      output = await this.client(location.region).send(
        new DescribeNodegroupCommand({
          clusterName: location.eksCluster,
          nodegroupName: ref.pool,
        }),
      );
    } catch (e) {
      throw eksActuatorError(ref, 'DescribeNodegroup', e);
    }
    return sizeOfScaling(ref, output.nodegroup?.scalingConfig);
  }

  async setMinimum(
    ref: NodePoolRef,
    min: number,
    options: ActuatorChangeOptions = {},
  ): Promise<{ previous: NodePoolSize }> {
    const location = this.location(ref);
    checkMinimum(ref, min);
    const previous = await this.size(ref);
    const scaling = scalingForMinimum(ref, previous, min);
    if (!scaling || options.dryRun) {
      if (scaling) {
        this.logChange(ref, location, previous, scaling.minSize, options);
      }
      return { previous };
    }
    try {
      await this.client(location.region).send(
        new UpdateNodegroupConfigCommand({
          clusterName: location.eksCluster,
          nodegroupName: ref.pool,
          scalingConfig: scaling,
        }),
      );
    } catch (e) {
      throw eksActuatorError(ref, 'UpdateNodegroupConfig', e);
    }
    this.logChange(ref, location, previous, scaling.minSize, options);
    return { previous };
  }

  private location(ref: NodePoolRef): EksClusterLocation {
    const location = Object.prototype.hasOwnProperty.call(
      this.options.clusters,
      ref.cluster,
    )
      ? this.options.clusters[ref.cluster]
      : undefined;
    if (!location) {
      throw new ActuatorError(
        'unknownCluster',
        `cluster ${ref.cluster} is not in modelfleet.aws.nodePools.clusters`,
        false,
      );
    }
    if (ref.pool.trim() === '') {
      throw new ActuatorError(
        'invalid',
        `cluster ${ref.cluster}: the node group name is empty`,
        false,
      );
    }
    return location;
  }

  /** Logs a change the way the Kubernetes actuator's `logChange` does. */
  private logChange(
    ref: NodePoolRef,
    location: EksClusterLocation,
    previous: NodePoolSize,
    min: number,
    options: ActuatorChangeOptions,
  ): void {
    const logger = this.options.logger;
    if (!logger) return;
    const step = options.actionStep
      ? ` (action step ${options.actionStep})`
      : '';
    const message = `${ref.cluster}: set the minimum size of EKS node group ${ref.pool} (EKS cluster ${location.eksCluster}, ${location.region}) from ${previous.min} to ${min}, max ${previous.max}${step}`;
    if (options.dryRun) logger.debug(`${message}, dry run`);
    else logger.info(message);
  }
}
