import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { DISPATCHER_CHECKPOINT_KEY } from '@ledgerdesk/deliveries';
import { startTestRedis, type TestApp, type TestRedis } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { startFakeSlack, startReceiver, waitFor, type Receiver } from '@ledgerdesk/testing';

const ADMIN = 'test-admin-token';

/**
 * Issue 4 acceptance: "Restart the whole app, and rebuild the tickets projection: no receiver
 * gets anything new." One Redis (the deliveries' durability domain: checkpoint, delivery log,
 * jobs) and one data dir shared by successive apps.
 */
describe('Deliveries across restarts and projection rebuilds (e2e, shared Redis + data dir)', () => {
  let redis: TestRedis;
  let app: TestApp | undefined;
  let hook: Receiver;
  let callback: Receiver;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  const dataDir = mkdtempSync(join(tmpdir(), 'ledgerdesk-restart-deliveries-'));

  const start = async () => {
    app = await startApiTestApp({ dataDir, env: { REDIS_URL: redis.url, SLACK_API_URL: slack.url, WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400' } });
    return app;
  };
  const counts = () => ({ hook: hook.received.length, callback: callback.received.length, slack: slack.calls.length });

  beforeAll(async () => {
    redis = await startTestRedis();
    hook = await startReceiver();
    callback = await startReceiver();
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await app?.close();
    await hook?.close();
    await callback?.close();
    await slack?.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a restart, a tickets rebuild and a dispatcher that lost its checkpoint deliver nothing twice; new events still go', async () => {
    let t = await start();
    const ws = await t.createWorkspace('Restarts');
    expect((await t.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url: hook.url, events: ['*'], include_internal: true } })).status).toBe(201);
    expect(
      (await t.request('PUT', '/api/v1/integrations/slack', { token: ws.key, body: { bot_token: 'xoxb-restart', default_channel_id: 'C0RESTART' } })).status,
    ).toBe(200);
    const inbox = await t.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Web', callback_url: callback.url } });
    expect(inbox.status).toBe(201);
    const inboxKey = inbox.body.data.api_key.key as string;

    const intake = async (app: TestApp, body: Record<string, unknown>) => {
      const res = await app.request('POST', '/api/v1/inbox/messages', { token: inboxKey, body });
      expect(res.status).toBe(201);
      return res.body as { ticketId: string; ticketToken: string };
    };
    const tickets: { ticketId: string; ticketToken: string }[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await intake(t, { email: `c${i}@example.com`, message: `hello ${i}` });
      await intake(t, { email: `c${i}@example.com`, message: `again ${i}`, ticketToken: created.ticketToken });
      tickets.push(created);
    }
    // Per ticket: customer.created, ticket.created, ticket.message.created (webhook), two
    // callbacks, a Slack root and a reply.
    await waitFor(() => hook.received.length >= 9 && callback.received.length >= 6 && slack.calls.length >= 6, 20_000, 'first deliveries');
    await new Promise((r) => setTimeout(r, 500));
    const delivered = counts();
    expect(delivered).toEqual({ hook: 9, callback: 6, slack: 6 });

    // 1. Restart the whole app on the same Redis and data dir.
    await t.close({ keepData: true });
    app = undefined;
    t = await start();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(counts()).toEqual(delivered);

    // 2. Rebuild the tickets projection and wait until it is live again.
    const rebuild = await t.request('POST', '/api/v1/admin/projections/tickets/rebuild', { token: ADMIN });
    expect(rebuild.status).toBe(202);
    const generation = rebuild.body.data.generation as number;
    await waitFor(
      async () => {
        const res = await t.request('GET', '/api/v1/admin/projections', { token: ADMIN });
        const row = res.body.data.find((p: { name: string }) => p.name === 'tickets');
        return row.generation === generation && row.state === 'live' && row.rebuild?.state === 'completed';
      },
      20_000,
      'tickets rebuild',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(counts()).toEqual(delivered);

    // 3. Redis lost the dispatcher's checkpoint (but not the delivery log): the new dispatcher
    //    starts from the beginning of the log, and every delivery record refuses a resend.
    await t.close({ keepData: true });
    app = undefined;
    const raw = new Redis(redis.url);
    expect(Number(await raw.get(DISPATCHER_CHECKPOINT_KEY))).toBeGreaterThan(0);
    await raw.del(DISPATCHER_CHECKPOINT_KEY);
    await raw.quit();
    t = await start();
    await waitFor(
      async () => t.infrastructure.deliveries!.dispatcher.checkpoint >= (await t.infrastructure.eventStore.headPosition()),
      10_000,
      'dispatcher caught up',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    expect(counts()).toEqual(delivered);

    // The dispatcher is alive: one new message goes to each destination, once.
    await intake(t, { email: 'c0@example.com', message: 'after everything', ticketToken: tickets[0].ticketToken });
    await waitFor(
      () => hook.received.length > delivered.hook && callback.received.length > delivered.callback && slack.calls.length > delivered.slack,
      10_000,
      'new deliveries',
    );
    await new Promise((r) => setTimeout(r, 700));
    expect(counts()).toEqual({ hook: delivered.hook + 1, callback: delivered.callback + 1, slack: delivered.slack + 1 });
    expect(hook.received.at(-1)!.json.data.message.body).toBe('after everything');
    // Every webhook-id arrived exactly once per destination.
    for (const r of [hook, callback]) expect(new Set(r.received.map((x) => x.headers['webhook-id'])).size).toBe(r.received.length);
  }, 90_000);
});
