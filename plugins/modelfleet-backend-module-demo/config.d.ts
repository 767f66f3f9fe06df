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
          /** Reclaim spot nodes as the traces say. Defaults to true. */
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
