import { startApiProcess } from '../support/api-process';
import { type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort, REQUEST_REDIS_COMMAND_TIMEOUT_MS, startEmbeddedRedis, type EmbeddedRedis } from '@ledgerdesk/runtime';
import { startReceiver, waitFor, type Receiver, type TestApp, type TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * Issue 19, "Redis faults": Redis stalled (SIGSTOP) or killed (kill -9) under a light load.
 * Reads never wait on Redis; writes without Idempotency-Key do not need it; writes with one get
 * 503 + Retry-After at once; nothing hangs; once Redis is back, the webhook deliveries of the
 * events written meanwhile arrive, each exactly once.
 */

/** Every request during a fault answers within this (the rate-limit step gives up after 250 ms). */
const FAULT_ANSWER_MS = 1_000;
/** How long each fault is held while the light load runs. */
const FAULT_HOLD_MS = 3_000;
const quiet = { info: () => undefined, warn: () => undefined };

interface Timed extends TestResponse {
  ms: number;
}

/** A request that hangs is given up here (status 0), so the test fails instead of hanging with it. */
const GIVE_UP_MS = 5_000;

/** TestApp.request, timed and bounded. */
async function timed(
  app: TestApp,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Timed> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(app.baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(GIVE_UP_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. /metrics): keep the text
    }
    return { status: response.status, headers: response.headers, body, ms: ms() };
  } catch {
    return { status: 0, headers: new Headers(), body: null, ms: ms() };
  }
}

/** A few reads in a loop (two at a time) while a fault lasts: what each answered, how fast. */
function lightLoad(app: TestApp, key: string, ticketId: string) {
  const results: Array<{ status: number; ms: number }> = [];
  const started = Date.now();
  let running = true;
  const loop = async (path: string) => {
    while (running) {
      const res = await timed(app, 'GET', path, { token: key });
      results.push({ status: res.status, ms: res.ms });
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const loops = [loop('/api/v1/tickets?limit=5'), loop(`/api/v1/tickets/${ticketId}`)];
  return {
    results,
    /** Once the load has lasted `forMs` and had `atLeast` answers. */
    async stop(forMs = 0, atLeast = 10) {
      await waitFor(() => results.length >= atLeast && Date.now() - started >= forMs, forMs + 10_000, `${atLeast} reads under load`);
      running = false;
      await Promise.all(loops);
      return results;
    },
  };
}

const signal = (pid: number, name: NodeJS.Signals) => process.kill(pid, name);
const resumeIfAlive = (pid: number) => {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // gone already
  }
};

interface Fixture {
  app: TestApp;
  key: string;
  ticketId: string;
  hook: Receiver;
  endpointId: string;
}

async function setUp(app: TestApp): Promise<Fixture> {
  const hook = await startReceiver();
  const ws = await app.createWorkspace('Redis faults');
  const endpoint = await app.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url: hook.url, events: ['ticket.created'] } });
  expect(endpoint.status).toBe(201);
  const first = await createTicket({ app, key: ws.key, ticketId: '', hook, endpointId: endpoint.body.data.id }, 'before');
  await waitFor(() => delivered(hook).has(first.id), 15_000, 'the first delivery');
  return { app, key: ws.key, ticketId: first.id, hook, endpointId: endpoint.body.data.id };
}

/** A write without Idempotency-Key: it needs the event store only. */
async function createTicket(f: Fixture, label: string): Promise<{ id: string; res: Timed }> {
  const res = await timed(f.app, 'POST', '/api/v1/tickets', {
    token: f.key,
    body: { subject: `Ticket ${label}`, description: 'Redis fault test', customer_email: `${label}@example.com` },
  });
  expect({ label, status: res.status }).toEqual({ label, status: 201 });
  return { id: res.body.data.id, res };
}

/** `ticket.created` deliveries received, counted by ticket id. */
function delivered(hook: Receiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of hook.received) counts.set(r.json?.data?.ticket?.id, (counts.get(r.json?.data?.ticket?.id) ?? 0) + 1);
  return counts;
}

/**
 * The fault as a client sees it: reads 200 under load, a write without Idempotency-Key 201, a
 * write with one 503 + Retry-After, readiness 503 naming Redis; every answer quick.
 * Returns the events written meanwhile, whose deliveries must follow once Redis is back.
 */
async function expectServedDuringFault(f: Fixture, label: string): Promise<string[]> {
  const load = lightLoad(f.app, f.key, f.ticketId);
  const written: string[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const ticket = await createTicket(f, `${label}-${i}`);
      expect(ticket.res.ms).toBeLessThan(FAULT_ANSWER_MS);
      written.push(ticket.id);
    }

    const keyed = await timed(f.app, 'POST', '/api/v1/tickets', {
      token: f.key,
      headers: { 'Idempotency-Key': `during-${label}` },
      body: { subject: 'Keyed', description: 'd', customer_email: `keyed-${label}@example.com` },
    });
    expect(keyed.status).toBe(503);
    expect(keyed.headers.get('retry-after')).toBe('1');
    expect(keyed.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/Redis/), details: { retry_after_seconds: 1 } } });
    expect(keyed.ms).toBeLessThan(FAULT_ANSWER_MS);

    // The delivery log lives in Redis: its reads answer 503 once the bounded command gives up.
    const log = await timed(f.app, 'GET', `/api/v1/webhooks/${f.endpointId}/deliveries`, { token: f.key });
    expect(log.status).toBe(503);
    expect(log.headers.get('retry-after')).toBe('1');
    expect(log.body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(log.ms).toBeLessThan(REQUEST_REDIS_COMMAND_TIMEOUT_MS + FAULT_ANSWER_MS);

    const ready = await timed(f.app, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: 'Not ready: redis is down',
        details: { event_store: { status: 'up' }, read_store: { status: 'up' }, redis: { status: 'down', message: expect.any(String) } },
      },
    });
    expect(ready.ms).toBeLessThan(2 * FAULT_ANSWER_MS);

    const scrape = await timed(f.app, 'GET', '/metrics');
    expect(scrape.status).toBe(200);
    expect(scrape.body).toMatch(/ledgerdesk_redis_up 0/);
    expect(scrape.ms).toBeLessThan(FAULT_ANSWER_MS);

    const direct = await timed(f.app, 'GET', `/api/v1/tickets/${written[0]}`, { token: f.key });
    expect(direct.status).toBe(200);
    expect(direct.ms).toBeLessThan(FAULT_ANSWER_MS);
  } finally {
    // The fault lasts a few seconds under load, as an operator would see it.
    const results = await load.stop(FAULT_HOLD_MS);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.filter((r) => r.ms >= FAULT_ANSWER_MS)).toEqual([]);
  }
  return written;
}

/** Redis answers again: readiness is 200 and an Idempotency-Key write is stored and replayed. */
async function expectRecovered(f: Fixture, label: string): Promise<void> {
  await waitFor(async () => (await f.app.request('GET', '/health/ready')).status === 200, 20_000, 'readiness after recovery');
  // The first command after a restart may still meet a reconnecting client: retry as a client would.
  let first: Timed | undefined;
  await waitFor(
    async () => {
      first = await timed(f.app, 'POST', '/api/v1/tickets', {
        token: f.key,
        headers: { 'Idempotency-Key': `after-${label}` },
        body: { subject: 'Keyed after', description: 'd', customer_email: `after-${label}@example.com` },
      });
      return first.status !== 503;
    },
    10_000,
    'an Idempotency-Key write after recovery',
  );
  expect(first?.status).toBe(201);
  const replay = await f.app.request('POST', '/api/v1/tickets', {
    token: f.key,
    headers: { 'Idempotency-Key': `after-${label}` },
    body: { subject: 'Keyed after', description: 'd', customer_email: `after-${label}@example.com` },
  });
  expect(replay.status).toBe(201);
  expect(replay.headers.get('idempotent-replayed')).toBe('true');
  expect(replay.body.data.id).toBe(first?.body.data.id);
}

/** Each ticket created during the fault is delivered, and nothing arrives twice. */
async function expectDeliveredExactlyOnce(f: Fixture, ticketIds: string[]): Promise<void> {
  await waitFor(() => ticketIds.every((id) => delivered(f.hook).has(id)), 30_000, 'the deliveries missed during the fault');
  // Settled: every job finished (a duplicate would come from a job still running or queued).
  await waitFor(
    async () => {
      const metrics = await fetch(`${f.app.baseUrl}/metrics`).then((r) => r.text());
      const busy = metrics
        .split('\n')
        .filter((line) => line.startsWith('ledgerdesk_delivery_queue_jobs{') && /state="(waiting|active|delayed)"/.test(line))
        .some((line) => Number(line.split(' ').pop()) > 0);
      return !busy;
    },
    15_000,
    'the delivery queues to drain',
  );
  const counts = delivered(f.hook);
  expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
  for (const id of ticketIds) expect(counts.get(id)).toBe(1);
  expect(new Set(f.hook.received.map((r) => r.headers['webhook-id'])).size).toBe(f.hook.received.length);
}

describe('Redis faults with REDIS_URL (the test runs its own redis-server)', () => {
  let redisDir: string;
  let redis: EmbeddedRedis;
  let f: Fixture;

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-redis-faults-'));
    redis = await startEmbeddedRedis({ dataDir: redisDir, logger: quiet });
    const app = await startApiTestApp({ env: { REDIS_URL: redis.url, WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400' } });
    f = await setUp(app);
  });
  afterAll(async () => {
    if (redis) resumeIfAlive(redis.pid); // a failed test may have left it stopped
    await f?.app.close();
    await f?.hook.close();
    await redis?.stop();
    rmSync(redisDir, { recursive: true, force: true });
  });

  it('stalled (SIGSTOP): reads and plain writes are served, keyed writes get 503 at once; after SIGCONT all is delivered once', async () => {
    signal(redis.pid, 'SIGSTOP');
    let written: string[];
    try {
      written = await expectServedDuringFault(f, 'stalled');
    } finally {
      signal(redis.pid, 'SIGCONT');
    }
    await expectRecovered(f, 'stalled');
    await expectDeliveredExactlyOnce(f, written);
    const metrics = await fetch(`${f.app.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/ledgerdesk_rate_limit_fail_open_total\{reason="unavailable"\} [1-9]/);
    expect(metrics).toMatch(/ledgerdesk_idempotency_unavailable_total [1-9]/);
    expect(metrics).toMatch(/ledgerdesk_redis_up 1/);
  }, 60_000);

  it('killed (kill -9) and brought back on the same port and dir: the same, and the queued deliveries resume', async () => {
    const { port } = redis;
    signal(redis.pid, 'SIGKILL');
    await waitFor(async () => (await f.app.request('GET', '/health/ready')).status === 503, 5_000, 'readiness to notice');
    const written = await expectServedDuringFault(f, 'killed');

    redis = await startEmbeddedRedis({ dataDir: redisDir, port, logger: quiet });
    await expectRecovered(f, 'killed');
    await expectDeliveredExactlyOnce(f, written);
  }, 60_000);

  it('shuts down within its budget while Redis is gone', async () => {
    signal(redis.pid, 'SIGKILL');
    await waitFor(async () => (await f.app.request('GET', '/health/ready')).status === 503, 5_000, 'readiness to notice');
    const app = f.app;
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    f = { ...f, app: { ...app, close: async () => undefined } };
  }, 30_000);
});

describe('Redis faults with the embedded, supervised redis-server', () => {
  let f: Fixture;

  beforeAll(async () => {
    // REDIS_URL empty = unset: the app starts its own redis-server under DATA_DIR.
    const app = await startApiTestApp({ env: { REDIS_URL: '', WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400' } });
    expect(app.infrastructure.redis.embedded).toBe(true);
    f = await setUp(app);
  });
  afterAll(async () => {
    const pid = f?.app.infrastructure.redis.pid;
    if (pid) resumeIfAlive(pid); // a failed test may have left it stopped
    await f?.app.close();
    await f?.hook.close();
  });

  it('stalled (SIGSTOP): served meanwhile, delivered once after SIGCONT', async () => {
    const pid = f.app.infrastructure.redis.pid as number;
    signal(pid, 'SIGSTOP');
    let written: string[];
    try {
      written = await expectServedDuringFault(f, 'embedded-stalled');
    } finally {
      signal(pid, 'SIGCONT');
    }
    await expectRecovered(f, 'embedded-stalled');
    await expectDeliveredExactlyOnce(f, written);
  }, 60_000);

  it('killed (kill -9): the supervisor restarts it on the same port and dir; the deliveries written meanwhile arrive once', async () => {
    const redis = f.app.infrastructure.redis;
    const { url } = redis;
    const pid = redis.pid as number;
    // Events written just before the kill: their jobs may be queued or in flight when it dies.
    const before = [await createTicket(f, 'embedded-before-kill-0'), await createTicket(f, 'embedded-before-kill-1')].map((t) => t.id);
    signal(pid, 'SIGKILL');
    // Served while it is gone or restarting.
    const load = lightLoad(f.app, f.key, f.ticketId);
    const during = [await createTicket(f, 'embedded-killed-0'), await createTicket(f, 'embedded-killed-1')];
    const results = await load.stop();
    expect(results.filter((r) => r.status !== 200 || r.ms >= FAULT_ANSWER_MS)).toEqual([]);
    for (const t of during) expect(t.res.ms).toBeLessThan(FAULT_ANSWER_MS);

    await waitFor(() => redis.state === 'running' && redis.pid !== pid, 15_000, 'the supervisor to restart redis-server');
    expect(redis.url).toBe(url);
    await expectRecovered(f, 'embedded-killed');
    await expectDeliveredExactlyOnce(f, [...before, ...during.map((t) => t.id)]);
  }, 60_000);
});

/** Neither gone nor a zombie waiting to be reaped. */
const running = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((done) => (child.exitCode !== null ? done(child.exitCode) : child.once('exit', (code) => done(code))));

const readyStatus = (url: string) =>
  fetch(`${url}/health/ready`).then(
    (r) => r.status,
    () => 0,
  );

describe('the API process with its embedded Redis killed, then stalled', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-redis-process-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('restarts it, logs the outage once (no "Unhandled error event"), and on SIGTERM exits 0 within 10 s with Redis stalled', async () => {
    const port = await findFreePort();
    const url = `http://127.0.0.1:${port}`;
    const api = startApiProcess({ DATA_DIR: dataDir, PORT: String(port), ADMIN_TOKEN: `redis-faults-${randomUUID()}`, REDIS_URL: '' });
    /** The pid of the server started last, from the app's log. */
    const redisPid = () => Number(/embedded redis-server (?:re)?started \(pid (\d+)/.exec(api.output().split('\n').reverse().join('\n'))?.[1] ?? 0);
    try {
      await waitFor(async () => (await readyStatus(url)) === 200, 40_000, 'the API to become ready');
      const first = redisPid();
      expect(first).toBeGreaterThan(0);

      process.kill(first, 'SIGKILL');
      await waitFor(() => /embedded redis-server restarted/.test(api.output()), 15_000, 'the restart');
      await waitFor(async () => (await readyStatus(url)) === 200 && /reachable again/.test(api.output()), 15_000, 'readiness after the restart');
      const second = redisPid();
      expect(second).not.toBe(first);
      expect(api.output()).not.toMatch(/Unhandled error event/);
      expect(api.output().match(/is unreachable/g)).toHaveLength(1);
      expect(api.output().match(/is reachable again/g)).toHaveLength(1);

      process.kill(second, 'SIGSTOP');
      const started = Date.now();
      api.child.kill('SIGTERM');
      expect(await exitOf(api.child)).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      await waitFor(() => !running(second), 3_000, 'the stalled redis-server to be stopped with the app');
    } finally {
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
      // If the app did not stop its redis-server (it runs in its own process group), do it here.
      const last = redisPid();
      if (last > 0 && running(last)) {
        resumeIfAlive(last);
        process.kill(last, 'SIGKILL');
      }
    }
  }, 60_000);
});
