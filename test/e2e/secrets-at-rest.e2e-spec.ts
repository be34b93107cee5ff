import { cli } from '../support/cli-in-process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { webhookEndpointsDecider, webhookEndpointsStreamId } from '@ledgerdesk/deliveries';
import { generateWebhookSecret, systemContext } from '@ledgerdesk/shared';
import { startFakeSlack, startReceiver, waitFor, type Receiver, type TestApp } from '@ledgerdesk/testing';
import { eventsTail } from '../../apps/cli/src/commands/streams';
import { startApiTestApp } from '../support/api-test-app';

/** `events tail --from 0 --json` until the output stops growing. */
async function tailAll(env: Record<string, string>): Promise<string> {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (c) => (stdout += c));
  const controller = new AbortController();
  const tail = eventsTail({ env, stdout: out, stderr: new PassThrough() }, { from: 0, json: true, signal: controller.signal });
  let seen = -1;
  await waitFor(
    async () => {
      await new Promise((r) => setTimeout(r, 300));
      const settled = stdout.length > 0 && stdout.length === seen;
      seen = stdout.length;
      return settled;
    },
    10_000,
    'the tail to print the log',
  );
  controller.abort();
  await tail;
  return stdout;
}

/** Every byte of every file under `dir` (the SQLite log and its WAL), but the secrets key itself. */
function filesUnder(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'secrets-key')
    .map((entry) => readFileSync(join(entry.parentPath, entry.name)).toString('latin1'))
    .join('\n');
}

/**
 * Issue 19, "secrets at rest and in exports": webhook secrets, inbox callback secrets, the Slack
 * bot token and signing secret are sealed (AES-256-GCM, key outside the log) before they are
 * appended, opened only where they are used (signing, posting), and never printed by the CLI.
 */
describe('secrets at rest: sealed in the log, opened where they are used, never exported', () => {
  let app: TestApp;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  let env: Record<string, string>;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack();
    app = await startApiTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400', SLACK_API_URL: slack.url } });
    env = { DATA_DIR: app.dataDir, LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    await app?.close();
    await slack?.close();
    for (const r of receivers) await r.close();
  });

  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };

  it('keeps every secret out of the log, the export, the tail and streams read, while deliveries are signed and Slack gets its token', async () => {
    const ws = await app.createWorkspace('Secrets');
    const hook = await receiver();
    const callbacks = await receiver();
    const laterCallbacks = await receiver();

    const created = await app.request('POST', '/api/v1/webhooks', {
      token: ws.key,
      body: { url: hook.url, events: ['ticket.created', 'ticket.message.created'] },
    });
    expect(created.status).toBe(201);
    const rotated = await app.request('POST', `/api/v1/webhooks/${created.body.data.id}/rotate-secret`, { token: ws.key });
    expect(rotated.status).toBe(201);
    const webhookSecret = rotated.body.data.secret as string;
    expect(webhookSecret).toMatch(/^whsec_/);

    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Website', callback_url: callbacks.url } });
    expect(inbox.status).toBe(201);
    const callbackSecret = inbox.body.data.callback_secret as string;
    const later = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Later' } });
    const patched = await app.request('PATCH', `/api/v1/inboxes/${later.body.data.id}`, { token: ws.key, body: { callback_url: laterCallbacks.url } });
    expect(patched.status).toBe(200);
    const laterSecret = patched.body.data.callback_secret as string;
    expect(laterSecret).toMatch(/^whsec_/);

    const botToken = 'xoxb-sealed-bot-token-4242';
    const signingSecret = 'slack-signing-secret-0123456789abcdef';
    const put = await app.request('PUT', '/api/v1/integrations/slack', {
      token: ws.key,
      body: { bot_token: botToken, default_channel_id: 'C0SEALED', signing_secret: signingSecret },
    });
    expect(put.status).toBe(200);
    // Masked as before: the view opens the token to show its ends.
    expect(put.body.data).toMatchObject({ bot_token: 'xoxb-…4242', signing_secret_set: true });
    expect((await app.request('GET', '/api/v1/integrations/slack', { token: ws.key })).body.data.bot_token).toBe('xoxb-…4242');

    const intake = async (key: string, message: string) => {
      const res = await app.request('POST', '/api/v1/inbox/messages', { token: key, body: { email: 'sam@example.com', name: 'Sam', subject: 'Hi', message } });
      expect(res.status).toBe(201);
    };
    await intake(inbox.body.data.api_key.key, 'first inbox');
    await intake(later.body.data.api_key.key, 'later inbox');

    await waitFor(
      () => hook.received.length >= 2 && callbacks.received.length >= 1 && laterCallbacks.received.length >= 1 && slack.posts.length >= 2,
      20_000,
      'deliveries',
    );

    // Deliveries are still signed with the secrets the API showed once.
    for (const got of hook.received) expect(() => new Webhook(webhookSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    for (const got of callbacks.received) expect(() => new Webhook(callbackSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    for (const got of laterCallbacks.received) expect(() => new Webhook(laterSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    for (const post of slack.posts) expect(post.token).toBe(botToken);

    const secrets = [created.body.data.secret as string, webhookSecret, callbackSecret, laterSecret, botToken, signingSecret];
    const expectNoSecret = (text: string, where: string) => {
      for (const secret of secrets) expect({ where, leaks: text.includes(secret) }).toEqual({ where, leaks: false });
      expect({ where, whsec: text.includes('whsec_'), xoxb: text.includes('xoxb-') }).toEqual({ where, whsec: false, xoxb: false });
    };

    // The log as stored: every secret field holds a sealed envelope.
    const events = await app.infrastructure.eventStore.readAll();
    expectNoSecret(JSON.stringify(events), 'event log');
    const sealedFields = events.flatMap((e) => {
      const data = e.data as Record<string, unknown>;
      return ['secret', 'bot_token', 'signing_secret'].filter((f) => typeof data[f] === 'string').map((f) => data[f] as string);
    });
    expect(sealedFields).toHaveLength(6);
    for (const value of sealedFields) expect(value).toMatch(/^enc:v1:/);
    expectNoSecret(filesUnder(app.dataDir), 'files under DATA_DIR');

    // Exports and tails print the envelopes, never the secrets.
    const exported = await cli(['audit', 'export', '--workspace', ws.id], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('enc:v1:');
    expectNoSecret(exported.stdout, 'audit export');
    expectNoSecret(await tailAll(env), 'events tail');
    const stream = await cli(['streams', 'read', webhookEndpointsStreamId(ws.id)], env);
    expect(stream.stdout).toContain('WebhookEndpointSecretRotated');
    expectNoSecret(stream.stdout, 'streams read');
    expectNoSecret((await cli(['streams', 'read', `slack-integration-${ws.id}`, '--json'], env)).stdout, 'streams read --json');

    // The hash chain covers the stored (sealed) bytes.
    const verified = await cli(['audit', 'verify'], env);
    expect(verified).toMatchObject({ code: 0, stderr: '' });
  }, 60_000);

  it('a secret written in clear by an older version still signs deliveries, and is redacted in exports', async () => {
    const ws = await app.createWorkspace('Legacy');
    const hook = await receiver();
    const legacySecret = generateWebhookSecret();
    // As an older version appended it: the secret in clear in the event.
    await app.infrastructure.runner.run(
      webhookEndpointsStreamId(ws.id),
      webhookEndpointsDecider,
      {
        type: 'create',
        workspaceId: ws.id,
        endpoint: {
          id: '5d4f2a8e-7c1b-4e0a-9f6d-3b2a1c0e9d8f',
          url: hook.url,
          events: ['ticket.created'],
          secret: legacySecret,
          created_at: new Date().toISOString(),
        },
      },
      systemContext(ws.id),
    );
    const ticket = await app.request('POST', '/api/v1/tickets', {
      token: ws.key,
      body: { subject: 'Old', description: 'd', customer_email: 'old@example.com' },
    });
    expect(ticket.status).toBe(201);
    await waitFor(() => hook.received.length >= 1, 15_000, 'the delivery');
    expect(() => new Webhook(legacySecret).verify(hook.received[0].body, hook.received[0].headers as Record<string, string>)).not.toThrow();

    const exported = await cli(['audit', 'export', '--workspace', ws.id], env);
    expect(exported.code).toBe(0);
    expect(exported.stdout).not.toContain(legacySecret);
    const line = exported.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((l) => l.type === 'WebhookEndpointCreated');
    expect(line.data.secret).toBe('[redacted]');
    expect((await cli(['streams', 'read', webhookEndpointsStreamId(ws.id)], env)).stdout).not.toContain(legacySecret);
    expect((await cli(['audit', 'verify', '--workspace', ws.id], env)).code).toBe(0);
  }, 30_000);

  it('a kept idempotent answer (a ticket token shown once) is sealed in Redis, and replays exactly', async () => {
    const ws = await app.createWorkspace('Sealed replays');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Replays' } });
    const send = () =>
      app.request('POST', '/api/v1/inbox/messages', {
        token: inbox.body.data.api_key.key,
        headers: { 'Idempotency-Key': 'sealed-1' },
        body: { email: 'sealed@example.com', message: 'Hello' },
      });
    const first = await send();
    expect(first.status).toBe(201);
    const token = first.body.ticketToken as string;
    expect(token).toMatch(/^ldt_/);

    const redis = new Redis(app.infrastructure.redis.url);
    try {
      const keys = await redis.keys('*');
      const values = await Promise.all(
        keys.map(async (key) =>
          (await redis.type(key)) === 'string' ? ((await redis.get(key)) ?? '') : JSON.stringify(await redis.hgetall(key).catch(() => ({}))),
        ),
      );
      expect(values.some((v) => v.includes('enc:v1:'))).toBe(true);
      expect(values.filter((v) => v.includes(token))).toEqual([]);
    } finally {
      redis.disconnect();
    }

    const replay = await send();
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body).toEqual(first.body);
  });
});
