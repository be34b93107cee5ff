import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** API.md section 3: Idempotency-Key on every POST. */
describe('Idempotency-Key (e2e)', () => {
  let app: TestApp;
  let workspace: { id: string; key: string };
  let inboxKey: string;
  let n = 0;
  const newKey = () => `idem-${Date.now()}-${++n}`;

  const head = () => app.infrastructure.eventStore.headPosition();
  const intake = (body: unknown, key: string | undefined, token = inboxKey) =>
    app.request('POST', '/api/v1/inbox/messages', { token, body, headers: key === undefined ? {} : { 'Idempotency-Key': key } });
  const ticketCount = async () => (await app.request('GET', '/api/v1/tickets?limit=1', { token: workspace.key })).body.meta.total as number;
  const expectEnvelope = (res: TestResponse, status: number, code: string) =>
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });

  beforeAll(async () => {
    app = await startApiTestApp();
    workspace = await app.createWorkspace('Idempotent');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: workspace.key, body: { name: 'Main' } });
    inboxKey = inbox.body.data.api_key.key;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the same request twice gives one ticket; the retry replays status and body with Idempotent-Replayed', async () => {
    const key = newKey();
    const body = { email: 'retry@example.com', message: 'once only' };
    const before = await ticketCount();
    const first = await intake(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const position = await head();
    const second = await intake({ message: 'once only', email: 'retry@example.com' }, key); // same body, other key order
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('x-log-position')).toBe(first.headers.get('x-log-position'));
    expect(await head()).toBe(position);
    expect(await ticketCount()).toBe(before + 1);
  });

  it('five identical requests sent at once give one ticket (the others: 409 in flight, or a replay)', async () => {
    const key = newKey();
    const body = { email: 'burst@example.com', message: 'five at once' };
    const before = await ticketCount();
    const results = await Promise.all(Array.from({ length: 5 }, () => intake(body, key)));
    const created = results.filter((r) => r.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((r) => r.body.ticketId)).size).toBe(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expectEnvelope(r, 409, 'CONFLICT');
      expect(r.headers.get('retry-after')).toBe('1');
    }
    expect(await ticketCount()).toBe(before + 1);
    const later = await intake(body, key);
    expect(later.status).toBe(201);
    expect(later.body.ticketId).toBe(created[0].body.ticketId);
  });

  it('the same key with a different body is 422 and writes nothing', async () => {
    const key = newKey();
    expect((await intake({ email: 'x@example.com', message: 'original' }, key)).status).toBe(201);
    const position = await head();
    const res = await intake({ email: 'x@example.com', message: 'changed' }, key);
    expectEnvelope(res, 422, 'UNPROCESSABLE_ENTITY');
    expect(await head()).toBe(position);
  });

  it('the same key on another path is 422', async () => {
    const key = newKey();
    expect((await app.request('POST', '/api/v1/inboxes', { token: workspace.key, body: { name: 'k' }, headers: { 'Idempotency-Key': key } })).status).toBe(201);
    const res = await app.request('POST', '/api/v1/tickets', {
      token: workspace.key,
      body: { name: 'k' },
      headers: { 'Idempotency-Key': key },
    });
    expectEnvelope(res, 422, 'UNPROCESSABLE_ENTITY');
  });

  it('a retry spelled otherwise (trailing slash, percent-encoded id) is the same request; the same route for another ticket is 422', async () => {
    const key = newKey();
    const created = await intake({ email: 'spelling@example.com', message: 'first' }, undefined);
    const ticketId = created.body.ticketId as string;
    const other = (await intake({ email: 'spelling2@example.com', message: 'first' }, undefined)).body.ticketId as string;
    const reply = (path: string) =>
      app.request('POST', path, { token: workspace.key, body: { body: 'once', message_type: 'outgoing' }, headers: { 'Idempotency-Key': key } });
    const first = await reply(`/api/v1/tickets/${ticketId}/messages`);
    expect(first.status).toBe(201);
    const position = await head();
    const encoded = `%${ticketId.charCodeAt(0).toString(16)}${ticketId.slice(1)}`;
    for (const path of [`/api/v1/tickets/${ticketId}/messages/`, `/api/v1/tickets/${encoded}/messages`]) {
      const retry = await reply(path);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    }
    expectEnvelope(await reply(`/api/v1/tickets/${other}/messages`), 422, 'UNPROCESSABLE_ENTITY');
    expect(await head()).toBe(position);
  });

  it('workspace keys and inbox keys share one key space per workspace; another workspace has its own', async () => {
    const key = newKey();
    const body = { email: 'shared@example.com', message: 'shared space' };
    expect((await intake(body, key)).status).toBe(201);
    const viaWorkspace = await app.request('POST', '/api/v1/inboxes', { token: workspace.key, body: { name: 'x' }, headers: { 'Idempotency-Key': key } });
    expectEnvelope(viaWorkspace, 422, 'UNPROCESSABLE_ENTITY');
    const other = await app.createWorkspace('Other space');
    const otherInbox = await app.request('POST', '/api/v1/inboxes', { token: other.key, body: { name: 'x' }, headers: { 'Idempotency-Key': key } });
    expect(otherInbox.status).toBe(201);
  });

  it('stores error responses that are final (403), replaying them', async () => {
    const key = newKey();
    const body = { email: 'x@example.com', message: 'hi', ticketToken: `ldt_${'Z'.repeat(40)}` };
    const first = await intake(body, key);
    expectEnvelope(first, 403, 'FORBIDDEN');
    const second = await intake(body, key);
    expectEnvelope(second, 403, 'FORBIDDEN');
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
  });

  it('does not store 400, so the client can fix the body and retry under the same key', async () => {
    const key = newKey();
    const position = await head();
    expectEnvelope(await intake({ email: 'nope', message: 'hi' }, key), 400, 'BAD_REQUEST');
    expect(await head()).toBe(position);
    const fixed = await intake({ email: 'fixed@example.com', message: 'hi' }, key);
    expect(fixed.status).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('does not store 413 or 401', async () => {
    const key = newKey();
    expectEnvelope(await intake({ email: 'a@example.com', message: 'x'.repeat(20_001) }, key), 413, 'PAYLOAD_TOO_LARGE');
    expectEnvelope(await intake({ email: 'a@example.com', message: 'hi' }, key, `ldi_${'Q'.repeat(40)}`), 401, 'UNAUTHORIZED');
    expect((await intake({ email: 'a@example.com', message: 'hi' }, key)).status).toBe(201);
  });

  it('an empty key is 400, a key over 255 chars is 400, 255 chars is fine; nothing written', async () => {
    const body = { email: 'a@example.com', message: 'hi' };
    for (const key of ['', ' ', 'k'.repeat(256)]) {
      const position = await head();
      const res = await intake(body, key);
      expectEnvelope(res, 400, 'BAD_REQUEST');
      expect(res.body.error.details).toHaveProperty('Idempotency-Key');
      expect(await head()).toBe(position);
    }
    expect((await intake(body, `${'k'.repeat(254)}${n++}`.slice(0, 255))).status).toBe(201);
  });

  it('without the header, requests are not deduplicated', async () => {
    const body = { email: 'plain@example.com', message: 'no key' };
    const a = await intake(body, undefined);
    const b = await intake(body, undefined);
    expect(a.body.ticketId).not.toBe(b.body.ticketId);
  });

  it('admin calls are scoped to the admin and replayed too', async () => {
    const key = newKey();
    const send = () => app.request('POST', '/api/v1/admin/workspaces', { token: app.adminToken, body: { name: 'Once' }, headers: { 'Idempotency-Key': key } });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    // The same key under a workspace is another space.
    const ws = await app.request('POST', '/api/v1/inboxes', { token: workspace.key, body: { name: 'same key' }, headers: { 'Idempotency-Key': key } });
    expect(ws.status).toBe(201);
  });

  it('records expire after 24 hours', async () => {
    const key = newKey();
    expect((await intake({ email: 'ttl@example.com', message: 'ttl' }, key)).status).toBe(201);
    const { Redis } = await import('ioredis');
    const redis = new Redis(app.infrastructure.redis.url);
    try {
      const keys = await redis.keys(`idempotency:workspace:${workspace.id}:*`);
      const ttls = await Promise.all(keys.map((k) => redis.ttl(k)));
      expect(Math.max(...ttls)).toBeGreaterThan(24 * 3600 - 60);
      expect(Math.max(...ttls)).toBeLessThanOrEqual(24 * 3600);
    } finally {
      redis.disconnect();
    }
  });
});
