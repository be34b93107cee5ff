import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { answerWithin, REQUEST_REDIS_COMMAND_TIMEOUT_MS } from '@ledgerdesk/runtime';

const KEY_PREFIX = 'ld:cable:sockets:';

/**
 * Takes a lease when the set holds fewer than the limit's live ones; expired leases (a process
 * that died holding them) are dropped first. Redis's own clock, so the processes' clocks may
 * disagree. KEYS[1] the set; ARGV: limit, lease id, lease time (ms).
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

/** Extends this process's leases of one set. KEYS[1] the set; ARGV: lease time (ms), lease ids. */
const RENEW = `
local t = redis.call('TIME')
local until_ = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], until_, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
return #ARGV - 1
`;

export interface SocketLeasesOptions {
  /** How long a lease outlives its process's last renewal (a crashed process's sockets stop counting then). */
  leaseMs?: number;
  renewEveryMs?: number;
}

/**
 * The contract's socket limits (API.md section 10: at most 10 sockets per session, 200 per
 * workspace key) across every API process sharing one Redis: each open socket holds a lease in
 * a Redis sorted set per limit key, renewed while it is open and released when it closes.
 * Without Redis, the limits still hold within this process (the socket is not refused for
 * Redis being away, as typing falls back to this process).
 */
export class SocketLeases {
  /** Limit key -> this process's leases (ids) under it. */
  private readonly held = new Map<string, Set<string>>();
  private readonly leaseMs: number;
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly redis: () => Redis | null,
    options: SocketLeasesOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.renewal = setInterval(() => void this.renew(), options.renewEveryMs ?? 10_000);
    this.renewal.unref();
  }

  /** A lease under `limitKey` if fewer than `limit` sockets hold one; its release, or null when refused. */
  async acquire(limitKey: string, limit: number): Promise<(() => void) | null> {
    const local = this.held.get(limitKey);
    if (local && local.size >= limit) return null;
    const id = randomUUID();
    const redis = this.ready();
    if (redis) {
      try {
        const taken = redis.eval(ACQUIRE, 1, KEY_PREFIX + limitKey, limit, id, this.leaseMs);
        if (!(await answerWithin(taken, REQUEST_REDIS_COMMAND_TIMEOUT_MS, 'a socket lease'))) return null;
      } catch {
        // Redis away or stalled: this process's count decides, as without Redis (a lease Redis
        // takes after the timeout is this socket's all the same: renewed and released with it).
      }
    }
    const leases = this.held.get(limitKey) ?? new Set<string>();
    if (leases.size >= limit) {
      this.forget(limitKey, id, redis);
      return null;
    }
    leases.add(id);
    this.held.set(limitKey, leases);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      leases.delete(id);
      if (leases.size === 0 && this.held.get(limitKey) === leases) this.held.delete(limitKey);
      this.forget(limitKey, id, this.ready());
    };
  }

  /** Stops renewing (the leases run out unless released). */
  stop(): void {
    clearInterval(this.renewal);
  }

  /**
   * Stops renewing and gives back every lease this process holds, at once (shutdown: its sockets
   * close after Redis is gone, and their places must not stay taken until the leases run out).
   */
  async releaseAll(): Promise<void> {
    this.stop();
    const redis = this.ready();
    const held = [...this.held];
    this.held.clear();
    if (!redis || held.length === 0) return;
    const pipeline = redis.pipeline();
    for (const [limitKey, leases] of held) pipeline.zrem(KEY_PREFIX + limitKey, ...leases);
    await answerWithin(pipeline.exec(), REQUEST_REDIS_COMMAND_TIMEOUT_MS, 'releasing socket leases').catch(() => undefined);
  }

  /** Renews every lease this process holds (also puts back those Redis lost while it was away). */
  async renew(): Promise<void> {
    const redis = this.ready();
    if (!redis || this.held.size === 0) return;
    const pipeline = redis.pipeline();
    for (const [limitKey, leases] of this.held) pipeline.eval(RENEW, 1, KEY_PREFIX + limitKey, this.leaseMs, ...leases);
    await pipeline.exec().catch(() => undefined);
  }

  private forget(limitKey: string, id: string, redis: Redis | null): void {
    void redis?.zrem(KEY_PREFIX + limitKey, id).catch(() => undefined);
  }

  private ready(): Redis | null {
    const redis = this.redis();
    return redis && redis.status === 'ready' ? redis : null;
  }
}
