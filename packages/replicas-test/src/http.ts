/** An HTTP answer: its status and its body (parsed when JSON). */
export interface Answer<T = any> {
  status: number;
  body: T;
}

/** A request that got no answer (refused, cut, timed out). */
export class NoAnswerError extends Error {
  readonly name = 'NoAnswerError';
}

/** One HTTP request with a time limit; any status is an answer. */
export async function request<T = any>(
  url: string,
  options: {
    method?: string;
    token?: string;
    body?: unknown;
    contentType?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) {
    headers['content-type'] = options.contentType ?? 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    throw new NoAnswerError(
      `${options.method ?? 'GET'} ${url}: ${(e as Error).message}${
        cause ? ` (${cause})` : ''
      }`,
    );
  }
  const text = await res.text().catch(() => '');
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body };
}

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));
