export interface Config {
  modelfleet?: {
    /**
     * OpenCost, read through its `/allocation` API for daily costs per
     * cluster and per model. Either one OpenCost (`baseUrl` and the keys
     * beside it; bill source id `opencost`) or a list under `instances`
     * (bill source ids `opencost:<name>`).
     */
    opencost?: {
      /** OpenCost's API, e.g. http://opencost.opencost:9003. */
      baseUrl?: string;
      /**
       * Bearer token sent to OpenCost (e.g. when it sits behind an auth proxy).
       * @visibility secret
       */
      token?: string;
      /** Request timeout, ISO 8601 (PT60S) or a duration object. Defaults to 60 s. */
      timeout?: string | { seconds?: number; minutes?: number };
      /**
       * What to group costs by: label:<key>, namespace, pod, controller, or a
       * comma-separated list. Defaults to label:modelfleet.io/model. The
       * cluster is always added.
       */
      aggregate?: string;
      /** Cloud of the clusters OpenCost reports. Defaults to other. */
      provider?: 'aws' | 'gcp' | 'azure' | 'other';
      /** Account name of allocations that carry no cluster. */
      cluster?: string;
      /** Per OpenCost cluster id (its CLUSTER_ID): account name and cloud. */
      clusters?: {
        [clusterId: string]: {
          /** Account name of the cluster's bill lines. Defaults to the cluster id. */
          name?: string;
          provider?: 'aws' | 'gcp' | 'azure' | 'other';
        };
      };
      /** Most days asked for in one request. Defaults to 7. */
      chunkDays?: number;
      /** Currency OpenCost is configured with. Only USD is accepted; defaults to USD. */
      currency?: string;
      /** Retries of HTTP 429 and 503 answers, with exponential backoff. Defaults to 4. */
      maxRetries?: number;
      /** Several OpenCost installations, instead of the keys above. */
      instances?: Array<{
        /** Unique name; the bill source id is opencost:<name>. */
        name: string;
        /** OpenCost's API, e.g. http://opencost.opencost:9003. */
        baseUrl: string;
        /**
         * Bearer token sent to this OpenCost.
         * @visibility secret
         */
        token?: string;
        /** Request timeout, ISO 8601 (PT60S) or a duration object. Defaults to 60 s. */
        timeout?: string | { seconds?: number; minutes?: number };
        /** What to group costs by; see modelfleet.opencost.aggregate. */
        aggregate?: string;
        /** Cloud of the clusters this OpenCost reports. Defaults to other. */
        provider?: 'aws' | 'gcp' | 'azure' | 'other';
        /** Account name of allocations that carry no cluster. */
        cluster?: string;
        /** Per OpenCost cluster id: account name and cloud. */
        clusters?: {
          [clusterId: string]: {
            name?: string;
            provider?: 'aws' | 'gcp' | 'azure' | 'other';
          };
        };
        /** Most days asked for in one request. Defaults to 7. */
        chunkDays?: number;
        /** Currency this OpenCost is configured with. Only USD is accepted. */
        currency?: string;
        /** Retries of HTTP 429 and 503 answers. Defaults to 4. */
        maxRetries?: number;
      }>;
    };
  };
}
