import { RetriesExhaustedError, retryAfterMs, withRetries } from './retry';

describe('withRetries', () => {
  it('retries transient failures and returns the first success', async () => {
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new Error(`busy ${calls}`);
        return 'done';
      },
      () => ({ retry: true }),
      { initialDelayMs: 1 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(3);
  });

  it('throws other errors at once, and gives up after maxAttempts', async () => {
    let calls = 0;
    const fatal = new Error('denied');
    await expect(
      withRetries(
        async () => {
          calls++;
          throw fatal;
        },
        () => ({ retry: false }),
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);

    calls = 0;
    const error = await withRetries(
      async () => {
        calls++;
        throw new Error('busy');
      },
      () => ({ retry: true, retryAfterMs: 0 }),
      { maxAttempts: 4 },
    ).catch(e => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(4);
    expect(error.lastError.message).toBe('busy');
    expect(calls).toBe(4);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(
      retryAfterMs(
        'Wed, 21 Oct 2015 07:28:10 GMT',
        Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'),
      ),
    ).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
