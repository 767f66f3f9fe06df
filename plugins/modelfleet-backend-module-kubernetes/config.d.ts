export interface Config {
  modelfleet?: {
    /**
     * ModelFleet settings of the Kubernetes clusters. The clusters themselves
     * are read from `kubernetes.clusterLocatorMethods`, the config of the
     * Backstage Kubernetes plugin (types `config` and `localKubectlProxy`).
     */
    kubernetes?: {
      /**
       * Settings per cluster, by the cluster's name in
       * `kubernetes.clusterLocatorMethods`.
       */
      clusters?: {
        [name: string]: {
          /**
           * The cloud the cluster runs in. Defaults to what the node labels
           * tell (EKS, GKE or AKS labels, or the node provider id), else
           * `other`.
           */
          provider?: 'aws' | 'gcp' | 'azure' | 'other';
          /**
           * The cloud region of the cluster and its pools. Defaults to the
           * `topology.kubernetes.io/region` label of the nodes.
           */
          region?: string;
          /**
           * True for a cluster of ModelFleet's simulated demo fleet: its
           * clusters, pools and costs are labelled demo data in the UI.
           * Defaults to false.
           */
          demo?: boolean;
        };
      };
    };
  };
}
