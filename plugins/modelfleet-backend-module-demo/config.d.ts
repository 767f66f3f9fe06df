export interface Config {
  modelfleet?: {
    /** The simulated demo fleet. */
    demo?: {
      /**
       * Serve the demo fleet (three simulated Kubernetes clusters with real
       * instance types and prices, and traffic replayed from real traces).
       * On in the local app-config.yaml, off in production. Defaults to
       * false. When true, `kubernetes.clusterLocatorMethods` must list at
       * least one of the simulated clusters (`demo-aws-use1`,
       * `demo-gcp-usc1`, `demo-azure-eastus`) with an
       * `http://127.0.0.1:<port>` URL, `authProvider: serviceAccount` and a
       * `serviceAccountToken`; the Kubernetes connector reads them there.
       */
      enabled?: boolean;
      /** The simulated Kubernetes clusters of the demo. */
      simulator?: {
        /**
         * `embedded` (the default): the demo module serves each simulated
         * cluster configured in `kubernetes.clusterLocatorMethods` on the
         * port of its URL, in the backend's process, from start to
         * shutdown, and lets in the `serviceAccountToken` configured there.
         * `external`: it starts nothing, and expects `yarn sim` (or
         * `bin/modelfleet-sim.js`) of the demo module to serve those ports,
         * so that several backends share one simulated fleet.
         */
        mode?: 'embedded' | 'external';
        /**
         * Replay the traces as requests to the models (embedded mode).
         * Defaults to true; without it, models receive only the requests
         * sent to the simulator's `/_sim/requests`.
         */
        traffic?: boolean;
        /** Spot reclaims from the bundled spot availability traces (embedded mode). */
        spot?: {
          /**
           * Reclaim spot nodes as the traces say. Defaults to true. false
           * means no spot reclaims by themselves at all: neither the
           * traces' nor the scripted `firstReclaim` (those asked for by
           * `POST /_sim/spot/reclaims` remain).
           */
          reclaims?: boolean;
          /**
           * How to read the traces. `interruptions` (the default): each
           * outage of the trace reclaims the zone's spot nodes, and spot
           * capacity is back one tick (195 s) later. `preemption`: 1 means
           * no spot capacity, for as long as the trace says, as the
           * traces' paper reads them (spot pools then go without capacity
           * 17–57 % of the time). `availability`: the traces' README
           * reading (the value is the number of available instances).
           */
          reading?: 'interruptions' | 'preemption' | 'availability';
          /**
           * A scripted spot reclaim soon after the simulated clusters
           * start, so that the demo shows a spot preemption (and
           * ModelFleet's answer to it) on first start, however the traces
           * fall. `afterSeconds` (simulated) after the start, the pool's
           * spot nodes in the zone are reclaimed as
           * `POST /_sim/spot/reclaims` does it (the cloud's notice, taint,
           * drain, then the node deleted; launches under way fail), and
           * its spot capacity there stays away for `seconds`. Off by
           * default; embedded mode only (`yarn sim` takes
           * `--first-reclaim <cluster>/<pool>[@<zone>][:<afterSeconds>[:<seconds>]]`),
           * and off when `reclaims` is false.
           */
          firstReclaim?: {
            /**
             * A demo cluster configured in
             * `kubernetes.clusterLocatorMethods`: `demo-aws-use1`,
             * `demo-gcp-usc1` or `demo-azure-eastus`.
             */
            cluster: string;
            /**
             * A spot pool of that cluster: `g6-l4-spot`, `g6e-l40s-spot`
             * (AWS), `g2-l4-spot`, `a2u-a100-80-spot` (GCP), `nva10spot`
             * (Azure).
             */
            pool: string;
            /** A zone of that cluster; every zone of the cluster by default. */
            zone?: string;
            /** Simulated seconds after the start, 0 to 86400; 240 by default. */
            afterSeconds?: number;
            /**
             * How long the pool's spot capacity stays away, in seconds, 0
             * to 86400; 900 by default.
             */
            seconds?: number;
          };
        };
        /**
         * The bearer token the simulator's `/_sim/` paths need, when it was
         * started with one (`yarn sim --sim-token`). The demo reads
         * `/_sim/stats` with it; by default with the cluster's
         * `serviceAccountToken`.
         * @visibility secret
         */
        adminToken?: string;
      };
    };
  };
}
