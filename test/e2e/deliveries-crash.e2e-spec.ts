import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startTestRedis, type TestApp, type TestRedis } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { startReceiver, waitFor, type Receiver } from '@ledgerdesk/testing';

const ROOT = resolve(__dirname, '../..');

/** `apps/worker/src/main.ts` as its own process (ts-node, swc transpiler), like `npm run start:worker`. */
function startWorker(dataDir: string, redisUrl: string): ChildProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', 'apps/worker/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TS_NODE_PROJECT: 'tsconfig.json',
      TS_NODE_TRANSPILE_ONLY: 'true',
      TS_NODE_SWC: 'true',
      DATA_DIR: dataDir,
      REDIS_URL: redisUrl,
      ADMIN_TOKEN: 'test-admin-token',
      LOG_LEVEL: 'silent',
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_RETRY_SCHEDULE_MS: '200,400,800',
      DELIVERY_LOCK_MS: '2000',
      DELIVERY_STALLED_CHECK_MS: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[worker] ${d}`));
  return child;
}

describe('Deliveries survive a SIGKILLed worker (e2e, separate worker process)', () => {
  let redis: TestRedis;
  let app: TestApp;
  let receiver: Receiver;
  let worker: ChildProcess | null = null;
  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-crash-'));

  beforeAll(async () => {
    redis = await startTestRedis();
    // Slow enough that a burst keeps many requests in flight at the kill.
    receiver = await startReceiver();
    app = await startApiTestApp({ dataDir, env: { REDIS_URL: redis.url, LEDGERDESK_ROLES: 'api,projector' } });
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await app?.close();
    await receiver?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every one of 200 deliveries; duplicates only where success was not yet recorded', async () => {
    const ws = await app.createWorkspace();
    const ep = await app.request('POST', '/api/v1/webhooks', {
      token: ws.key,
      body: { url: receiver.url, events: ['ticket.created', 'ticket.message.created'] },
    });
    expect(ep.status).toBe(201);
    const endpointId = ep.body.data.id as string;

    worker = startWorker(dataDir, redis.url);
    // 50 tickets x (created + 3 messages) = 200 deliveries, 50 ordering keys.
    const expected = new Set<string>();
    const ticketIds: string[] = [];
    for (let i = 0; i < 50; i++) {
      const t = await app.request('POST', '/api/v1/tickets', {
        token: ws.key,
        body: { subject: `T${i}`, description: 'd', customer_email: `c${i}@example.com` },
      });
      ticketIds.push(t.body.data.id);
    }
    for (let m = 0; m < 3; m++) {
      await Promise.all(ticketIds.map((id) => app.request('POST', `/api/v1/tickets/${id}/messages`, { token: ws.key, body: { body: `m${m}` } })));
    }
    const events = await app.infrastructure.eventStore.readAll();
    // Each ticket is announced at its first message (ticket.created), then 3 more messages.
    for (const e of events) if (e.type === 'MessageAppended') expected.add(e.id);
    expect(expected.size).toBe(200);

    // Kill the worker mid-burst.
    await waitFor(() => receiver.received.length >= 40, 60_000, 'the burst to start');
    worker.kill('SIGKILL');
    await new Promise((r) => worker!.once('exit', r));
    await new Promise((r) => setTimeout(r, 100)); // let in-flight requests land at the receiver
    const receivedAtKill = new Set(receiver.received.map((r) => r.headers['webhook-id'] as string));
    const succeededAtKill = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { data: { event_id: string; status: string }[]; meta: { next_cursor: string | null } } } = await app.request(
        'GET',
        `/api/v1/webhooks/${endpointId}/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: ws.key },
      );
      for (const d of page.body.data) if (d.status === 'succeeded') succeededAtKill.add(d.event_id);
      cursor = page.body.meta.next_cursor;
    } while (cursor);
    const unrecorded = [...receivedAtKill].filter((id) => !succeededAtKill.has(id));
    expect(receivedAtKill.size).toBeLessThan(200);

    // Restart: the dispatcher resumes from its checkpoint (re-dispatch is deduplicated) and
    // stalled jobs run again once their lock expires.
    worker = startWorker(dataDir, redis.url);
    try {
      await waitFor(() => new Set(receiver.received.map((r) => r.headers['webhook-id'])).size >= 200, 60_000, 'every delivery');
    } catch (error) {
      const { Queue } = await import('bullmq');
      const q = new Queue('ledgerdesk-webhooks', { connection: { url: redis.url } as never, prefix: 'ld' });
      console.log(
        'DEBUG',
        new Set(receiver.received.map((r) => r.headers['webhook-id'])).size,
        await q.getJobCounts(),
        receivedAtKill.size,
        succeededAtKill.size,
      );
      const delayed = await q.getJobs(['delayed', 'wait', 'active', 'failed'], 0, 5);
      for (const j of delayed) console.log('JOB', j.id, await j.getState(), j.failedReason, j.attemptsMade, j.delay);
      await q.close();
      throw error;
    }
    await new Promise((r) => setTimeout(r, 2_500));

    const counts = new Map<string, number>();
    for (const r of receiver.received) counts.set(r.headers['webhook-id'] as string, (counts.get(r.headers['webhook-id'] as string) ?? 0) + 1);
    const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    console.log(
      `crash test: received ${receivedAtKill.size}/200 before SIGKILL, ${succeededAtKill.size} recorded as succeeded, ` +
        `${unrecorded.length} received but not yet recorded; after restart ${counts.size} distinct, ` +
        `${receiver.received.length} requests, ${duplicates.length} duplicates`,
    );
    for (const id of expected) expect(counts.get(id)).toBeGreaterThanOrEqual(1);
    expect(counts.size).toBe(200);
    for (const id of duplicates) expect(unrecorded).toContain(id);
    for (const [, n] of counts) expect(n).toBeLessThanOrEqual(2);

    // Per ticket, the first arrivals are in event order.
    const order = new Map<string, string[]>();
    const firstSeen = new Set<string>();
    for (const r of receiver.received) {
      if (firstSeen.has(r.json.id)) continue;
      firstSeen.add(r.json.id);
      const list = order.get(r.json.data.ticket.id) ?? [];
      list.push(r.json.type);
      order.set(r.json.data.ticket.id, list);
    }
    for (const types of order.values()) expect(types[0]).toBe('ticket.created');

    const final = await app.request('GET', `/api/v1/webhooks/${endpointId}/deliveries?limit=100`, { token: ws.key });
    expect(final.body.meta.total).toBe(200);

    // SIGTERM: drains and exits 0.
    const exit = new Promise<number | null>((r) => worker!.once('exit', (code) => r(code)));
    worker.kill('SIGTERM');
    expect(await exit).toBe(0);
  }, 180_000);
});
