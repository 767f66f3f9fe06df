export interface Config {
  backend?: {
    /**
     * Whether error responses may show stack traces, and the messages of
     * server errors (5xx), which can carry SQL and file paths. When false,
     * a 5xx says only its status and a logId, under which the log keeps the
     * detail. Defaults to true only when NODE_ENV is `development`;
     * app-config.production.yaml sets false. See src/errorResponses.ts.
     */
    showErrorDetails?: boolean;
  };
  auth?: {
    providers?: {
      /**
       * A sign-in as one catalog User, for end-to-end tests of what a
       * member of a team sees (src/testUserAuth.ts). It answers only when
       * NODE_ENV is `development` and only when this key is set;
       * app-config.yaml does not set it, the README's test command does.
       */
      'modelfleet-test-user'?: {
        /** The User's entity ref, e.g. `user:default/ana.silva`. */
        userEntityRef: string;
      };
    };
  };
}
