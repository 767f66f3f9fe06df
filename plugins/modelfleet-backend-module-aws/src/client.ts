/**
 * Static AWS credentials from app-config. Without them the SDK's default
 * credential chain is used (environment, shared config, SSO, web identity,
 * container and instance roles).
 *
 * @public
 */
export interface AwsStaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * How a source reaches one AWS API.
 *
 * @public
 */
export interface AwsClientOptions {
  /**
   * Endpoint URL instead of the public one of the region, e.g. a VPC
   * interface endpoint (or a loopback server in tests).
   */
  endpoint?: string;
  /** Static credentials; the SDK default chain when absent. */
  credentials?: AwsStaticCredentials;
  /**
   * Attempts per request, including the first. Throttling
   * (`ThrottlingException`, `RequestLimitExceeded`, `LimitExceededException`)
   * and transient errors are retried with the SDK's standard exponential
   * backoff and jitter. Defaults to 5.
   */
  maxAttempts?: number;
}

/** Default attempts per request (the SDK's own default is 3). */
export const DEFAULT_MAX_ATTEMPTS = 5;

/** The configuration shared by the three SDK clients. */
export function sdkClientConfig(region: string, options: AwsClientOptions) {
  return {
    region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
  };
}

/**
 * Wraps an SDK error with what was being done, keeping the AWS error name
 * (e.g. `ThrottlingException`) and the attempts made.
 */
export function awsCallError(what: string, error: unknown): Error {
  const e = error as {
    name?: string;
    message?: string;
    $metadata?: { attempts?: number; httpStatusCode?: number };
  };
  const attempts = e?.$metadata?.attempts;
  const status = e?.$metadata?.httpStatusCode;
  const detail = [
    status ? `HTTP ${status}` : undefined,
    attempts
      ? `after ${attempts} attempt${attempts === 1 ? '' : 's'}`
      : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return new Error(
    `${what} failed: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}${
      detail ? ` (${detail})` : ''
    }`,
    { cause: error },
  );
}

/** One SDK client per region, made when first asked for. */
export function perRegion<T>(
  make: (region: string) => T,
): (region: string) => T {
  const clients = new Map<string, T>();
  return region => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}
