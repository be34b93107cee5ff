import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { startTestRedis, type TestRedis } from '@ledgerdesk/testing';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const WINDOW_MS = 60_000;

describe('RedisThrottlerStorage (counted in a real Redis)', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const newStorage = () => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    // A key prefix per test: with REDIS_URL the server is shared.
    return { storage: new RedisThrottlerStorage(client, `test-ratelimit:${randomUUID()}:`), client };
  };
  /** Every hit served within the window, counted as the guard does: allowed unless blocked. */
  const spend = async (storage: RedisThrottlerStorage, key: string, n: number, limit: number) => {
    const records = await Promise.all(Array.from({ length: n }, () => storage.increment(key, WINDOW_MS, limit, WINDOW_MS, 'default')));
    return { allowed: records.filter((r) => !r.isBlocked).length, records };
  };

  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
    await server?.stop();
  });

  it('one process: exactly `limit` hits are allowed, concurrently, then every hit is blocked with the time left', async () => {
    const { storage } = newStorage();
    const { allowed, records } = await spend(storage, 'workspace:k1', 1_000, 600);
    expect(allowed).toBe(600);
    const blocked = records.filter((r) => r.isBlocked);
    expect(blocked).toHaveLength(400);
    for (const r of blocked) {
      expect(r.timeToBlockExpire).toBeGreaterThan(0);
      expect(r.timeToBlockExpire).toBeLessThanOrEqual(60);
    }
    // Remaining (limit - totalHits) counts down to 0 over the allowed hits, never below.
    const hits = records
      .filter((r) => !r.isBlocked)
      .map((r) => r.totalHits)
      .sort((a, b) => a - b);
    expect(hits[0]).toBe(1);
    expect(hits[hits.length - 1]).toBe(600);
    expect(new Set(hits).size).toBe(600);
  });

  it('counts the hits of one key that arrive in the same turn in one Redis step, each with its own total, in arrival order', async () => {
    const { storage, client } = newStorage();
    const steps = jest.spyOn(client as unknown as { ldRateLimitIncrement: () => Promise<unknown> }, 'ldRateLimitIncrement');
    const records = await Promise.all(Array.from({ length: 10 }, () => storage.increment('workspace:burst', WINDOW_MS, 7, WINDOW_MS, 'default')));
    expect(steps).toHaveBeenCalledTimes(1);
    expect(records.map((r) => r.totalHits)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(records.map((r) => r.isBlocked)).toEqual([false, false, false, false, false, false, false, true, true, true]);
    expect(records[9].timeToBlockExpire).toBe(60);
    // The block holds for the next turn's hits too.
    expect(await storage.increment('workspace:burst', WINDOW_MS, 7, WINDOW_MS, 'default')).toMatchObject({ isBlocked: true, totalHits: 10 });
    expect(steps).toHaveBeenCalledTimes(2);
  });

  it('sequential hits report exact totals (RateLimit-Remaining counts down by one)', async () => {
    const { storage } = newStorage();
    for (let i = 1; i <= 10; i++) {
      const record = await storage.increment('inbox:k2', WINDOW_MS, 10, WINDOW_MS, 'default');
      expect(record).toMatchObject({ totalHits: i, isBlocked: false });
      expect(record.timeToExpire).toBeGreaterThan(0);
    }
    expect((await storage.increment('inbox:k2', WINDOW_MS, 10, WINDOW_MS, 'default')).isBlocked).toBe(true);
  });

  it('several processes sharing one Redis allow exactly the limit together', async () => {
    const prefix = `test-ratelimit:${randomUUID()}:`;
    const processes = Array.from({ length: 3 }, () => {
      const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
      clients.push(client);
      return new RedisThrottlerStorage(client, prefix);
    });
    const results = await Promise.all(processes.map((storage) => spend(storage, 'workspace:shared', 500, 600)));
    const allowed = results.reduce((sum, r) => sum + r.allowed, 0);
    expect(allowed).toBe(600);
  });

  it('another key has its own budget', async () => {
    const { storage } = newStorage();
    await spend(storage, 'workspace:a', 6, 5);
    expect((await storage.increment('workspace:a', WINDOW_MS, 5, WINDOW_MS, 'default')).isBlocked).toBe(true);
    expect((await storage.increment('workspace:b', WINDOW_MS, 5, WINDOW_MS, 'default')).isBlocked).toBe(false);
  });

  it('a new window starts a new budget once the old one expires', async () => {
    const { storage } = newStorage();
    const shortWindow = 300;
    const first = await Promise.all(Array.from({ length: 8 }, () => storage.increment('workspace:w', shortWindow, 5, shortWindow, 'default')));
    expect(first.filter((r) => !r.isBlocked)).toHaveLength(5);
    await new Promise((resolve) => setTimeout(resolve, shortWindow + 100));
    const second = await Promise.all(Array.from({ length: 8 }, () => storage.increment('workspace:w', shortWindow, 5, shortWindow, 'default')));
    expect(second.filter((r) => !r.isBlocked)).toHaveLength(5);
  });

  it('a Redis failure surfaces to the caller (the hook then fails open and logs)', async () => {
    // Never connected, no offline queue: every command fails at once, as with Redis down.
    const client = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false });
    const storage = new RedisThrottlerStorage(client, 'test-ratelimit:down:');
    try {
      await expect(storage.increment('workspace:x', WINDOW_MS, 5, WINDOW_MS, 'default')).rejects.toThrow();
    } finally {
      client.disconnect(); // stop its reconnect attempts
    }
  });
});
