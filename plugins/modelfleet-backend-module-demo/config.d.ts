export interface Config {
  modelfleet?: {
    /** The simulated demo fleet. */
    demo?: {
      /**
       * Serve the demo fleet (three simulated clusters with real instance
       * types and prices, and traffic replayed from real traces). On in the
       * local app-config.yaml, off in production. Defaults to false.
       */
      enabled?: boolean;
    };
  };
}
