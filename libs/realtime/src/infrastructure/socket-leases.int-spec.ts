import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { startTestRedis, type TestRedis } from '@ledgerdesk/testing';
import { SocketLeases } from './socket-leases';

/** Two SocketLeases on one real Redis stand for two API processes. */
describe('SocketLeases (socket limits across API processes, real Redis)', () => {
  let server: TestRedis;
  const clients: Redis[] = [];
  const leases: SocketLeases[] = [];

  const processOn = async (options?: ConstructorParameters<typeof SocketLeases>[1]) => {
    const redis = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(redis);
    await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    const process = new SocketLeases(() => redis, options);
    leases.push(process);
    return process;
  };

  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterEach(() => {
    for (const l of leases.splice(0)) l.stop();
    for (const c of clients.splice(0)) c.disconnect();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('counts the sockets of every process against one limit; a release frees a place for any of them', async () => {
    const [a, b] = [await processOn(), await processOn()];
    const key = `session:${randomUUID()}`;
    const onA = [await a.acquire(key, 3), await a.acquire(key, 3)];
    const onB = await b.acquire(key, 3);
    expect([...onA, onB].every((release) => typeof release === 'function')).toBe(true);
    expect(await b.acquire(key, 3)).toBeNull();
    expect(await a.acquire(key, 3)).toBeNull();

    onA[0]!();
    await new Promise((r) => setTimeout(r, 50));
    expect(await b.acquire(key, 3)).not.toBeNull();
    expect(await a.acquire(key, 3)).toBeNull();
    // Another key has its own count.
    expect(await a.acquire(`session:${randomUUID()}`, 3)).not.toBeNull();
  });

  it('concurrent acquires never pass the limit', async () => {
    const [a, b] = [await processOn(), await processOn()];
    const key = `key:${randomUUID()}`;
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).acquire(key, 10)));
    expect(results.filter((r) => r !== null)).toHaveLength(10);
  });

  it('a crashed process’s leases stop counting once they run out; a live one keeps its own by renewing', async () => {
    const timing = { leaseMs: 400, renewEveryMs: 100 };
    const [crashed, live, other] = [await processOn(timing), await processOn(timing), await processOn(timing)];
    const key = `session:${randomUUID()}`;
    expect(await crashed.acquire(key, 2)).not.toBeNull();
    expect(await live.acquire(key, 2)).not.toBeNull();
    crashed.stop(); // no more renewals, no release: as a killed process
    expect(await other.acquire(key, 2)).toBeNull();
    await new Promise((r) => setTimeout(r, 900));
    // The crashed lease ran out; the live one was renewed all along.
    expect(await other.acquire(key, 2)).not.toBeNull();
    expect(await other.acquire(key, 2)).toBeNull();
  });

  it('a process shutting down gives its places back at once (releaseAll), before its sockets report closing', async () => {
    const [leaving, other] = [await processOn(), await processOn()];
    const key = `key:${randomUUID()}`;
    const releases = [await leaving.acquire(key, 2), await leaving.acquire(key, 2)];
    expect(await other.acquire(key, 2)).toBeNull();
    await leaving.releaseAll();
    expect(await other.acquire(key, 2)).not.toBeNull();
    expect(await other.acquire(key, 2)).not.toBeNull();
    for (const release of releases) release!(); // the sockets' own closes, later: nothing more to free
    expect(await other.acquire(key, 2)).toBeNull();
  });

  it('a stalled Redis holds no socket up: the process’s own count decides within a second', async () => {
    const stalled = await processOn();
    const key = `session:${randomUUID()}`;
    // Every client's commands wait while Redis is paused (as a stopped server's would).
    const admin = new Redis(server.url);
    clients.push(admin);
    await admin.call('CLIENT', 'PAUSE', '2500', 'ALL');
    const started = Date.now();
    expect(await stalled.acquire(key, 1)).not.toBeNull();
    expect(await stalled.acquire(key, 1)).toBeNull(); // the local count refuses, without asking Redis
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('without Redis the limit still holds within the process', async () => {
    const alone = new SocketLeases(() => null);
    leases.push(alone);
    const key = `session:${randomUUID()}`;
    const held = [await alone.acquire(key, 2), await alone.acquire(key, 2)];
    expect(held.every((r) => r !== null)).toBe(true);
    expect(await alone.acquire(key, 2)).toBeNull();
    held[1]!();
    expect(await alone.acquire(key, 2)).not.toBeNull();
  });
});
