export interface Config {
  modelfleet?: {
    /** GCP prices (Cloud Billing Catalog), bills (Cloud Billing export in BigQuery) and GKE node pools. Nothing is read when absent. */
    gcp?: {
      /** Regions whose GPU prices are read, e.g. [us-central1, europe-west4]. Required unless nodePools is all that is set. */
      regions?: string[];
      /**
       * A service account key: the JSON key file's content, as a string or an
       * object. Without it, Application Default Credentials are used (e.g. GKE
       * Workload Identity or GOOGLE_APPLICATION_CREDENTIALS).
       * @visibility secret
       */
      credentials?: string | { [key: string]: unknown };
      /** Live GPU prices of Compute Engine from the Cloud Billing Catalog API. */
      billingCatalog?: {
        /** Defaults to true when this section is present. */
        enabled?: boolean;
        /** API endpoint, e.g. https://cloudbilling.googleapis.com (the default) or http://127.0.0.1:8080. */
        apiEndpoint?: string;
        /**
         * An API key for the Cloud Billing API; used instead of `credentials` for the catalog.
         * @visibility secret
         */
        apiKey?: string;
      };
      /** Daily costs from the standard Cloud Billing export to BigQuery. */
      billingExport?: {
        /** Project that runs (and pays for) the query jobs. */
        projectId: string;
        /** The export table: project.dataset.gcp_billing_export_v1_XXXXXX_XXXXXX_XXXXXX. */
        table: string;
        /** Resource label naming the model; defaults to modelfleet-io-model (k8s-label/... for GKE cost allocation). */
        labelKey?: string;
        /** Location of the export's dataset, e.g. US or EU; BigQuery finds it when unset. */
        location?: string;
        /** BigQuery API endpoint, e.g. https://bigquery.googleapis.com (the default). */
        apiEndpoint?: string;
      };
      /** GKE node pools whose minimum ModelFleet may lower (getNodePool, setNodePoolAutoscaling), with `credentials`. */
      nodePools?: {
        /** The GKE cluster of each cluster, by its name in kubernetes.clusterLocatorMethods. */
        clusters: {
          [clusterName: string]: {
            /** The GCP project id of the GKE cluster. */
            project: string;
            /** The cluster's location: a region (regional cluster) or a zone (zonal cluster), e.g. us-central1. */
            location: string;
            /** The GKE cluster's own name. */
            gkeCluster: string;
          };
        };
        /** GKE API endpoint, e.g. https://container.googleapis.com (the default). */
        apiEndpoint?: string;
      };
    };
  };
}
