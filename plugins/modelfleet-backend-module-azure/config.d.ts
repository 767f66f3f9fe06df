export interface Config {
  modelfleet?: {
    /**
     * Azure price, bill and AKS node-pool connectors. Nothing is read from
     * Azure when this is absent.
     */
    azure?: {
      /**
       * Azure regions (armRegionName, e.g. eastus, westus3) whose GPU VM
       * retail prices are read.
       */
      regions?: string[];
      /** The Azure Retail Prices API (public, no credentials). */
      retailPrices?: {
        /** Defaults to true when regions are set. */
        enabled?: boolean;
        /** Defaults to https://prices.azure.com. */
        baseUrl?: string;
        /**
         * VM sizes read: armSkuName prefixes or whole names. Defaults to
         * Standard_NC, Standard_ND, Standard_NV.
         */
        skuPrefixes?: string[];
      };
      /**
       * Spot eviction-rate bands of the VM sizes of the spot pools in
       * `regions`, from Azure Resource Graph (SpotResources; Reader is
       * enough), read once a day and weighed into each spot pool's risk.
       * Read only when set.
       */
      spotEvictionRates?: {
        enabled?: boolean;
        /** Azure Resource Manager endpoint. Defaults to https://management.azure.com. */
        endpoint?: string;
      };
      /** Daily costs per resource from Azure Cost Management. Read only when set. */
      costManagement?: {
        /**
         * Scopes queried, e.g. /subscriptions/<id>,
         * /subscriptions/<id>/resourceGroups/<name>,
         * /providers/Microsoft.Billing/billingAccounts/<id> or
         * /providers/Microsoft.Management/managementGroups/<id>.
         */
        scopes: string[];
        /** ActualCost (the bill, default) or AmortizedCost (reservations spread over their term). */
        type?: 'ActualCost' | 'AmortizedCost';
        /**
         * Azure tag naming the model of a resource; its value is reported as
         * the line's modelfleet.io/model tag. Defaults to modelfleet.io-model
         * (Azure tag names cannot hold '/').
         */
        tagKey?: string;
        /**
         * The cost column summed: Cost (billing currency, which must be USD;
         * the default) or CostUSD.
         */
        costColumn?: 'Cost' | 'CostUSD';
        /** Azure Resource Manager endpoint (https). Defaults to https://management.azure.com. */
        endpoint?: string;
      };
      /**
       * AKS agent pools whose minimum size ModelFleet lowers (or raises back)
       * through Azure Resource Manager, so the cluster autoscaler may remove
       * idle GPU nodes. Managed only when set. The identity needs
       * Microsoft.ContainerService/managedClusters/agentPools/read and
       * /write on the clusters.
       */
      nodePools?: {
        /**
         * The clusters managed, keyed by their name in
         * kubernetes.clusterLocatorMethods; their agent pools are named as the
         * nodes' kubernetes.azure.com/agentpool label says.
         */
        clusters: {
          [cluster: string]: {
            /** Subscription id (a GUID) of the managed cluster. */
            subscriptionId: string;
            /** Resource group of the managed cluster. */
            resourceGroup: string;
            /** The managed cluster's name in its resource group. */
            aksCluster: string;
          };
        };
        /**
         * Azure Resource Manager endpoint (https), for sovereign clouds.
         * Defaults to https://management.azure.com.
         */
        endpoint?: string;
      };
      /**
       * A service principal with Cost Management Reader on the scopes (and,
       * with nodePools, agent pool read and write on the clusters).
       * Without it, the Azure SDK's DefaultAzureCredential chain is used
       * (environment, workload identity, managed identity, Azure CLI).
       */
      credentials?: {
        /** Directory (tenant) id. */
        tenantId: string;
        /** Application (client) id. */
        clientId: string;
        /**
         * Client secret of the application.
         * @visibility secret
         */
        clientSecret: string;
      };
    };
  };
}
