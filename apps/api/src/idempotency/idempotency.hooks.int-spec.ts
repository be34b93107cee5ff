import { randomBytes } from 'node:crypto';
import { generateSecretKey, SECRET_KEY_BYTES, SecretBox } from '@ledgerdesk/shared';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Infrastructure } from '@ledgerdesk/infrastructure';
import { createMetrics } from '@ledgerdesk/observability';
import { RedisMonitor, startEmbeddedRedis, type EmbeddedRedis } from '@ledgerdesk/runtime';
import { ApiRedis } from './api-redis';
import { IdempotencyHooks } from './idempotency.hooks';

/**
 * The hooks against a real redis-server that the test stalls (SIGSTOP): what a write that was
 * carried out leaves behind when Redis is away, and what a retry finds once it is back.
 */
describe('IdempotencyHooks with Redis stalled (real redis-server)', () => {
  const quiet = { info: () => undefined, warn: () => undefined };
  let dataDir: string;
  let server: EmbeddedRedis;
  let apiRedis: ApiRedis;
  let hooks: IdempotencyHooks;
  let raw: Redis;
  let infrastructure: Infrastructure;
  let n = 0;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ledgerdesk-idempotency-'));
    server = await startEmbeddedRedis({ dataDir, persistence: 'none', logger: quiet });
    infrastructure = {
      redis: { url: server.url, embedded: false, monitor: new RedisMonitor(quiet, server.url), stop: async () => undefined },
      metrics: createMetrics({ defaultMetrics: false }),
      secrets: new SecretBox(randomBytes(SECRET_KEY_BYTES)),
    } as unknown as Infrastructure;
    apiRedis = new ApiRedis(infrastructure);
    await apiRedis.onApplicationBootstrap();
    hooks = new IdempotencyHooks(apiRedis, infrastructure);
    raw = new Redis(server.url, { maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    process.kill(server.pid, 'SIGCONT');
    raw?.disconnect();
    await apiRedis?.onApplicationShutdown();
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const request = (key: string, body: unknown = { subject: 'S' }) =>
    ({
      method: 'POST',
      url: '/api/v1/tickets',
      routeOptions: { url: '/api/v1/tickets' },
      params: {},
      query: {},
      headers: { 'idempotency-key': key },
      principal: { kind: 'workspace', workspaceId: 'ws-1', keyId: 'k-1', subscriptionActive: true },
      body,
      raw: {},
    }) as unknown as FastifyRequest;

  const reply = () => {
    const headers: Record<string, string> = {};
    const fake = {
      statusCode: 200,
      sent: undefined as unknown,
      headers,
      status(code: number) {
        fake.statusCode = code;
        return fake;
      },
      header(name: string, value: string) {
        headers[name.toLowerCase()] = String(value);
        return fake;
      },
      getHeader: (name: string) => headers[name.toLowerCase()],
      send(body: unknown) {
        fake.sent = body;
        return fake;
      },
    };
    return fake;
  };
  const asReply = (fake: ReturnType<typeof reply>) => fake as unknown as FastifyReply;
  const stall = () => process.kill(server.pid, 'SIGSTOP');
  const resume = () => process.kill(server.pid, 'SIGCONT');
  const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  const recovered = () => until(() => apiRedis.available && hooks.pendingWrites === 0);
  const redisKeys = () => raw.keys('idempotency:*');

  afterEach(async () => {
    resume();
    await recovered();
    await raw.flushall();
  });

  it('a 201 whose record could not be stored while Redis stalled is stored once it is back: the retry replays it', async () => {
    const key = `k${++n}`;
    const req = request(key);
    expect(await hooks.preHandler(req, asReply(reply()))).toBeUndefined(); // claimed

    stall();
    const res = reply().status(201).header('content-type', 'application/json');
    const started = Date.now();
    await expect(hooks.onSend(req, asReply(res), '{"data":{"id":"t-1"}}')).resolves.toBe('{"data":{"id":"t-1"}}');
    expect(Date.now() - started).toBeLessThan(2_000); // the response is not held past the command's bound
    expect(hooks.pendingWrites).toBe(1);

    resume();
    await recovered();
    const retry = reply();
    await hooks.preHandler(request(key), asReply(retry));
    expect({ status: retry.statusCode, body: retry.sent, replayed: retry.headers['idempotent-replayed'] }).toEqual({
      status: 201,
      body: '{"data":{"id":"t-1"}}',
      replayed: 'true',
    });
  });

  it('with Redis known to be stalled, a keyed request gets 503 + Retry-After at once and claims nothing', async () => {
    stall();
    apiRedis.suspect();
    await apiRedis.checked();
    expect(apiRedis.available).toBe(false);

    const res = reply();
    const started = Date.now();
    await hooks.preHandler(request(`k${++n}`), asReply(res));
    expect(Date.now() - started).toBeLessThan(100);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.sent).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/Redis/), details: { retry_after_seconds: 1 } } });

    resume();
    await recovered();
    expect(await redisKeys()).toEqual([]);
  });

  it('a claim whose answer was lost in the stall is released once Redis is back, so the retry is carried out', async () => {
    const key = `k${++n}`;
    stall(); // not known yet: the claim is sent and gets no answer
    const res = reply();
    await hooks.preHandler(request(key), asReply(res));
    expect(res.statusCode).toBe(503);
    expect(hooks.pendingWrites).toBe(1); // the release of a claim that may have been written

    resume(); // the server now carries out the claim it had received
    await recovered();
    expect(await redisKeys()).toEqual([]);
    const retry = request(key);
    expect(await hooks.preHandler(retry, asReply(reply()))).toBeUndefined();
    expect(retry.idempotency).toBeDefined();
  });

  it("a retry finds the first attempt's process gone: it takes the attempt over with its seed, resuming; while that process lives it is a 409", async () => {
    const key = `k${++n}`;
    const first = new IdempotencyHooks(apiRedis, infrastructure);
    const other = new IdempotencyHooks(apiRedis, infrastructure);
    await Promise.all([first.onApplicationBootstrap(), other.onApplicationBootstrap()]);
    try {
      const attempt = request(key);
      await first.preHandler(attempt, asReply(reply()));
      const marker = JSON.parse((await raw.get((await redisKeys())[0])) as string) as { process: string; seed: string };

      const meanwhile = reply();
      await other.preHandler(request(key), asReply(meanwhile));
      expect(meanwhile.statusCode).toBe(409);

      await raw.del(`process-alive:${marker.process}`); // what 10 s without its heartbeat leaves
      const retry = request(key);
      expect(await other.preHandler(retry, asReply(reply()))).toBeUndefined();
      expect(retry.idempotency?.keyed).toMatchObject({ seed: marker.seed, resuming: true });
      expect(attempt.idempotency?.keyed).toMatchObject({ seed: marker.seed, resuming: false });

      // The first attempt's late answer no longer settles the key: the retry's does.
      await first.onSend(attempt, asReply(reply().status(201)), '{"data":{"id":"late"}}');
      await other.onSend(retry, asReply(reply().status(201)), '{"data":{"id":"t-1"}}');
      const replay = reply();
      await first.preHandler(request(key), asReply(replay));
      expect(replay.sent).toBe('{"data":{"id":"t-1"}}');
    } finally {
      await Promise.all([first.onApplicationShutdown(), other.onApplicationShutdown()]);
    }
  });

  it('an attempt that wrote part of its request and answered 5xx leaves it to the next retry to complete (same seed); one that wrote nothing frees the key', async () => {
    const key = `k${++n}`;
    const attempt = request(key);
    await hooks.preHandler(attempt, asReply(reply()));
    attempt.idempotency?.keyed.noteWrite(); // as the command runner does when it appends
    const seed = attempt.idempotency?.keyed.seed;
    await hooks.onSend(attempt, asReply(reply().status(503)), '{"error":{}}');
    const retry = request(key);
    expect(await hooks.preHandler(retry, asReply(reply()))).toBeUndefined();
    expect(retry.idempotency?.keyed).toMatchObject({ seed, resuming: true });
    const changed = reply();
    await hooks.preHandler(request(key, { subject: 'Another' }), asReply(changed));
    expect(changed.statusCode).toBe(422); // part of the first request is written under this key

    const untouched = request(`k${++n}`);
    await hooks.preHandler(untouched, asReply(reply()));
    const untouchedKey = untouched.idempotency?.redisKey as string;
    await hooks.onSend(untouched, asReply(reply().status(503)), '{"error":{}}');
    expect(await raw.get(untouchedKey)).toBeNull();
  });

  it("a seed copied into another key's marker does not give that key's secrets", async () => {
    const own = request(`k${++n}`);
    await hooks.preHandler(own, asReply(reply()));
    const copied = JSON.parse((await raw.get(own.idempotency?.redisKey as string)) as string) as { process: string };
    const victimKey = `k${++n}`;
    const victim = request(victimKey);
    await hooks.preHandler(victim, asReply(reply()));
    await raw.set(victim.idempotency?.redisKey as string, JSON.stringify({ ...copied, process: 'parked' }));
    const retry = request(victimKey);
    await hooks.preHandler(retry, asReply(reply()));
    expect(retry.idempotency?.keyed.seed).toBe(own.idempotency?.keyed.seed);
    const secretOf = (r: FastifyRequest) => generateSecretKey('ldk_', 40, { keyedRequest: r.idempotency?.keyed });
    expect(secretOf(retry)).not.toBe(secretOf(own));
  });

  it('stores the record even when the in-flight marker expired meanwhile (a retry must replay, not run again)', async () => {
    const key = `k${++n}`;
    const req = request(key);
    await hooks.preHandler(req, asReply(reply()));
    const claims = await redisKeys();
    expect(claims).toHaveLength(1);
    await raw.del(...claims); // the marker expired
    await hooks.onSend(req, asReply(reply().status(201)), '{"data":{}}');
    const retry = reply();
    await hooks.preHandler(request(key), asReply(retry));
    expect(retry.headers['idempotent-replayed']).toBe('true');
  });
});
