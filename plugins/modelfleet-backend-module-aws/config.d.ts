export interface Config {
  modelfleet?: {
    /**
     * AWS prices, bills and EKS node groups. Nothing is read from AWS unless this is set;
     * credentials come from the SDK default chain unless `credentials` is set.
     */
    aws?: {
      /** Regions whose prices are read, e.g. [us-east-1, us-west-2]. Required for the price sources. */
      regions?: string[];
      /**
       * Instance types (g5.xlarge) or families (g5) to price. Defaults to
       * g4dn, g5, g6, g6e, p4d, p4de, p5, p5e.
       */
      instanceTypes?: string[];
      /** Attempts per AWS request; throttling is retried with backoff. Defaults to 5. */
      maxAttempts?: number;
      /** Static credentials instead of the SDK default credential chain. */
      credentials?: {
        accessKeyId: string;
        /** @visibility secret */
        secretAccessKey: string;
        /** @visibility secret */
        sessionToken?: string;
      };
      /** On-demand list prices from the Price List Query API. On unless disabled. */
      pricing?: {
        enabled?: boolean;
        /** Region of the Price List endpoint: us-east-1 (default), eu-central-1 or ap-south-1. */
        region?: string;
        /** Endpoint URL instead of the public one, e.g. a VPC interface endpoint. */
        endpoint?: string;
      };
      /** Spot prices from EC2 spot price history. On unless disabled. */
      spot?: {
        enabled?: boolean;
        /** Hours of history read; the newest price per type and zone wins. Defaults to 24. */
        lookbackHours?: number;
        /** EC2 endpoint URL for every region instead of the public ones. */
        endpoint?: string;
      };
      /**
       * Spot placement scores (EC2 GetSpotPlacementScores, needs
       * ec2:GetSpotPlacementScores and ec2:DescribeAvailabilityZones) of
       * the instance types of the spot pools in `regions`, read once a day
       * and weighed into each spot pool's risk. On with spot prices unless
       * disabled.
       */
      spotPlacementScores?: {
        enabled?: boolean;
        /** Region whose EC2 endpoint is asked. Defaults to the first of regions. */
        apiRegion?: string;
        /** EC2 endpoint URL instead of the public one. */
        endpoint?: string;
      };
      /** Daily costs by cost-allocation tag from Cost Explorer. Off unless set. */
      costExplorer?: {
        enabled?: boolean;
        /** Activated cost-allocation tag keys, one query each. Defaults to [modelfleet.io/model]. */
        tagKeys?: string[];
        /** Cost metric. Defaults to UnblendedCost. */
        metric?: 'UnblendedCost' | 'AmortizedCost' | 'NetUnblendedCost';
        /**
         * SERVICE dimension values to keep; [] reads every service.
         * Defaults to [Amazon Elastic Compute Cloud - Compute].
         */
        services?: string[];
        /** Also read UsageQuantity into each line. Defaults to false. */
        includeUsage?: boolean;
        /** Region of the Cost Explorer endpoint. Defaults to us-east-1. */
        region?: string;
        /** Endpoint URL instead of the public one. */
        endpoint?: string;
      };
      /**
       * The EKS node-pool API: reads and lowers the minimum size of EKS
       * managed node groups (DescribeNodegroup, UpdateNodegroupConfig; needs
       * eks:DescribeNodegroup and eks:UpdateNodegroupConfig) so the cluster
       * autoscaler may remove idle GPU nodes. Off unless set. Without
       * `regions`, setting only this leaves the price sources off.
       */
      nodePools?: {
        /**
         * The clusters whose node groups are managed, by their name in
         * kubernetes.clusterLocatorMethods, each with its EKS cluster.
         */
        clusters: {
          [clusterName: string]: {
            /** The EKS cluster's name. */
            eksCluster: string;
            /** The EKS cluster's region, e.g. us-east-1. */
            region: string;
          };
        };
        /** EKS endpoint URL for every region instead of the public ones, e.g. a VPC interface endpoint. */
        endpoint?: string;
      };
    };
  };
}
