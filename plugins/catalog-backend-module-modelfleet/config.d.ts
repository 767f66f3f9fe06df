import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  modelfleet?: {
    /** Where deployments made from the portal are published. */
    gitops?: {
      /**
       * The offline GitOps target of the embedded default: bare git
       * repositories under `root` (relative to the backend's working
       * directory), registered in the catalog from their working copies.
       * Needs the git command.
       */
      local?: {
        root: string;
        /**
         * Base URL of a web view of the repositories under `root` (a git
         * web viewer such as cgit or gitweb serving it): repository `name`
         * is at `<webUrl>/<name>`, the link the Deploy a model result page
         * gives. Without it, the result page links to the repository's
         * Location in the catalog, which names its clone URL.
         */
        webUrl?: string;
      };
    };
    /** How ModelFleet fills the catalog with GPU pools and clusters. */
    catalog?: {
      /** Owner of the GpuPool and cluster entities. Defaults to group:default/platform-team. */
      owner?: string;
      /**
       * Emit a Resource of type kubernetes-cluster per connected cluster.
       * Turn off when the clusters are already in the catalog. Defaults to true.
       */
      emitClusterResources?: boolean;
      /** How often pools are read. Defaults to every minute. */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * Pools that scale from zero, so there are no nodes to discover them by
       * (for example a Karpenter NodePool or an autoscaled node group at 0).
       */
      declaredPools?: Array<{
        /** Cluster name as in kubernetes.clusterLocatorMethods. */
        cluster: string;
        /** Pool name in its platform. */
        name: string;
        provider: 'aws' | 'gcp' | 'azure' | 'other';
        region: string;
        zones?: string[];
        instanceType: string;
        capacityType: 'on-demand' | 'spot' | 'reserved';
        gpu: {
          product: string;
          /** Memory of one GPU in MiB. */
          memoryMiB?: number;
          perNode: number;
          sharing?: 'whole' | 'mig' | 'time-slicing';
          replicasPerGpu?: number;
        };
        nodes: { min?: number; max: number };
      }>;
    };
  };
}
