/**
 * Backoff of retried calls to a throttled or briefly unavailable API.
 *
 * @public
 */
export interface RetryOptions {
  /** Attempts in all, the first included; defaults to 5. */
  maxAttempts?: number;
  /** Delay before the first retry; doubled for each next one. Defaults to 1 s. */
  initialDelayMs?: number;
  /** Longest delay between attempts, `Retry-After` included. Defaults to 30 s. */
  maxDelayMs?: number;
}

/** What {@link withRetries} learns from a failed attempt. */
export interface RetryVerdict {
  retry: boolean;
  /** The server's `Retry-After`, when it sent one. */
  retryAfterMs?: number;
}

/** The error of the last attempt, with how many attempts were made. */
export class RetriesExhaustedError extends Error {
  constructor(readonly lastError: unknown, readonly attempts: number) {
    super(
      `${
        (lastError as Error)?.message ?? String(lastError)
      } (gave up after ${attempts} attempts)`,
    );
    this.name = 'RetriesExhaustedError';
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/**
 * Runs `call`, retrying with exponential backoff (half to full of the
 * doubled delay, or the server's `Retry-After`) while `verdict` says the
 * failure is transient. Non-transient errors are thrown as they are; a
 * transient one that outlasts `maxAttempts` is thrown as a
 * {@link RetriesExhaustedError}.
 */
export async function withRetries<T>(
  call: () => Promise<T>,
  verdict: (error: unknown) => RetryVerdict,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (e) {
      const v = verdict(e);
      if (!v.retry) throw e;
      if (attempt >= maxAttempts) throw new RetriesExhaustedError(e, attempt);
      const backoff = Math.min(max, initial * 2 ** (attempt - 1));
      await sleep(
        v.retryAfterMs !== undefined
          ? Math.min(max, v.retryAfterMs)
          : backoff * (0.5 + Math.random() / 2),
      );
    }
  }
}

/** `Retry-After` in milliseconds (seconds or an HTTP date), if present. */
export function retryAfterMs(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
