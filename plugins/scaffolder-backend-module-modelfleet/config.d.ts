export interface Config {
  modelfleet?: {
    /** Where deployments made from the portal are published. */
    gitops?: {
      /**
       * The offline GitOps target of the embedded default, used by
       * `modelfleet:publish:local` and `modelfleet:catalog:register-local`:
       * bare git repositories under `root` (relative to the backend's
       * working directory). Needs the git command.
       */
      local?: {
        root: string;
      };
    };
  };
}
