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
  };
}
