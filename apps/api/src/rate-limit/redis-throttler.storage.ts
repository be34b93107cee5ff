import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { Redis } from 'ioredis';

/**
 * One atomic step per request, so concurrent requests on any number of API processes count
 * exactly: if a block is active, report it; otherwise INCR the window's counter (PEXPIRE on the
 * first hit opens the window), and past the limit start a block of `blockDuration`.
 * Returns { hits, window ms left, blocked 0/1, block ms left }.
 */
const INCREMENT_SCRIPT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl < 0 then ttl = 0 end
  return {hits, ttl, 1, blockTtl}
end
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, ttl, 1, tonumber(ARGV[3])}
end
return {hits, ttl, 0, 0}`;

interface Scripts {
  ldRateLimitIncrement(hitsKey: string, blockKey: string, ttlMs: number, limit: number, blockMs: number): Promise<[number, number, number, number]>;
}

/** @nestjs/throttler storage in Redis: limits hold across API processes. */
export class RedisThrottlerStorage implements ThrottlerStorage {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'ratelimit:',
  ) {
    // EVALSHA (falls back to EVAL once per server): the script is not sent with every request.
    if (!(redis as unknown as Partial<Scripts>).ldRateLimitIncrement) redis.defineCommand('ldRateLimitIncrement', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}${throttlerName}:${key}`;
    const [totalHits, windowMs, blocked, blockMs] = await (this.redis as unknown as Scripts).ldRateLimitIncrement(
      `${base}:hits`,
      `${base}:block`,
      Math.max(1, Math.round(ttl)),
      limit,
      Math.max(1, Math.round(blockDuration)),
    );
    return {
      totalHits,
      timeToExpire: Math.ceil(windowMs / 1000),
      isBlocked: blocked === 1,
      timeToBlockExpire: Math.ceil(blockMs / 1000),
    };
  }
}
