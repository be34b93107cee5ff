/** No answer within a bound of ours (not ioredis's `commandTimeout`). */
export class RedisTimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`Redis did not answer ${what} within ${ms} ms`);
    this.name = 'RedisTimeoutError';
  }
}

/**
 * `work`, or a RedisTimeoutError once `ms` have passed without an answer. Tolerant of a busy
 * event loop: when the timer fires, the answer may be waiting unread on the socket (timers run
 * before I/O in a loop turn), so the verdict waits for the I/O phase (setImmediate) first.
 */
export function answerWithin<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (settled) return;
          settled = true;
          reject(new RedisTimeoutError(what, ms));
        }),
      ms,
    );
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    work.then(
      (value) => settle(() => resolve(value)),
      (error: unknown) => settle(() => reject(error)),
    );
  });
}
