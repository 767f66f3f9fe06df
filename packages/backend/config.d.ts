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
}
