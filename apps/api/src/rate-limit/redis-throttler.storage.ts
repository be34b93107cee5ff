import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { Redis } from 'ioredis';
import { answerWithin, RedisTimeoutError } from '@ledgerdesk/runtime';

/**
 * One atomic step for ARGV[4] hits of one key, so concurrent requests on any number of API
 * processes count exactly: if a block is active, report it; otherwise INCRBY the window's
 * counter (PEXPIRE on the first hits opens the window), and past the limit start a block of
 * `blockDuration`. Returns { hits after the step, window ms left, blocked 0/1, block ms left }.
 */
const INCREMENT_SCRIPT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = 0 end
  return {hits, ttl, 1, blockTtl}
end
local n = tonumber(ARGV[4])
local hits = redis.call('INCRBY', KEYS[1], n)
if hits == n then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 0, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

interface Scripts {
  ldRateLimitIncrement(
    hitsKey: string,
    blockKey: string,
    ttlMs: number,
    limit: number,
    blockMs: number,
    hits: number,
  ): Promise<[number, number, number, number]>;
}

export interface RedisThrottlerStorageOptions {
  /** Give up on a step after this long (RedisTimeoutError: the hook fails open); unset: wait for the client. */
  stepTimeoutMs?: number;
  /** Told when a step gave up, e.g. to check whether Redis still answers. */
  onSlowStep?: () => void;
}

/** The hits of one key waiting for the next step, in arrival order. */
interface PendingStep {
  ttl: number;
  limit: number;
  blockDuration: number;
  waiters: Array<{ resolve: (record: ThrottlerStorageRecord) => void; reject: (error: unknown) => void }>;
}

/**
 * @nestjs/throttler storage in Redis: limits hold across API processes. The hits of a key that
 * arrive in the same turn of the event loop are counted in one step (one Redis command for a
 * burst, not one per request), each still told its own exact total, in arrival order: hit i of
 * n gets `hits - n + i`, and is refused if that is over the limit (or a block is active).
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private pending = new Map<string, PendingStep>();
  private scheduled = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ratelimit:',
    private readonly options: RedisThrottlerStorageOptions = {},
  ) {
    // EVALSHA (falls back to EVAL once per server): the script is not sent with every step.
    if (!(redis as unknown as Partial<Scripts>).ldRateLimitIncrement) redis.defineCommand('ldRateLimitIncrement', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
  }

  increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    return new Promise((resolve, reject) => {
      let step = this.pending.get(base);
      if (!step) this.pending.set(base, (step = { ttl, limit, blockDuration, waiters: [] }));
      step.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const steps = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    for (const [base, step] of steps) void this.run(base, step);
  }

  private async run(base: string, { ttl, limit, blockDuration, waiters }: PendingStep): Promise<void> {
    let result: [number, number, number, number];
    try {
      const step = (this.redis as unknown as Scripts).ldRateLimitIncrement(
        `${base}:hits`,
        `${base}:block`,
        Math.max(1, Math.round(ttl)),
        limit,
        Math.max(1, Math.round(blockDuration)),
        waiters.length,
      );
      // A slow Redis must not slow every request down: past the bound, the step is given up.
      const { stepTimeoutMs } = this.options;
      result = stepTimeoutMs === undefined ? await step : await answerWithin(step, stepTimeoutMs, 'the rate-limit step');
    } catch (error) {
      if (error instanceof RedisTimeoutError) this.options.onSlowStep?.();
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const [hits, windowMs, blockedBefore, blockMs] = result;
    const timeToExpire = Math.ceil(windowMs / 1000);
    const timeToBlockExpire = Math.ceil(blockMs / 1000);
    waiters.forEach((waiter, i) => {
      if (blockedBefore === 1) {
        waiter.resolve({ totalHits: hits, timeToExpire, isBlocked: true, timeToBlockExpire });
        return;
      }
      const totalHits = hits - waiters.length + 1 + i;
      const isBlocked = totalHits > limit;
      waiter.resolve({ totalHits, timeToExpire, isBlocked, timeToBlockExpire: isBlocked ? timeToBlockExpire : 0 });
    });
  }
}
