import { randomUUID } from 'node:crypto';
import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** API.md sections 1 and 2: the admin API and the life of workspace keys. */
describe('admin: workspaces and keys (e2e)', () => {
  let app: TestApp;
  const admin = (method: string, path: string, body?: unknown) => app.request(method, `/api/v1/admin${path}`, { token: app.adminToken, body });
  const expectEnvelope = (res: TestResponse, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.details).toEqual(expect.any(Object));
  };
  const total = async () => (await admin('GET', '/workspaces')).body.meta.total as number;

  beforeAll(async () => {
    app = await startApiTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('creates a workspace with its first key, shown once', async () => {
    const res = await admin('POST', '/workspaces', { name: 'Acme Support' });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-log-position')).toMatch(/^\d+$/);
    expect(res.body.data).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      name: 'Acme Support',
      subscription_status: 'active',
      created_at: expect.any(String),
      api_key: { id: expect.any(String), key: expect.stringMatching(/^ldk_[A-Za-z0-9]{32,}$/) },
    });
    expect(new Date(res.body.data.created_at).toISOString()).toBe(res.body.data.created_at);

    // The key works at once, and is never shown again.
    const key = res.body.data.api_key.key;
    expect((await app.request('GET', '/api/v1/tickets', { token: key })).status).toBe(200);
    const fetched = await admin('GET', `/workspaces/${res.body.data.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toEqual({
      id: res.body.data.id,
      name: 'Acme Support',
      subscription_status: 'active',
      created_at: res.body.data.created_at,
    });
    expect(JSON.stringify(fetched.body)).not.toContain(key);
  });

  it('lists workspaces newest first, paging with a cursor', async () => {
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await app.createWorkspace(`Paged ${i}`)).id);
    const count = await total();
    expect(count).toBeGreaterThanOrEqual(6);

    const seen: Array<{ id: string; created_at: string }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: TestResponse = await admin('GET', `/workspaces?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.meta).toMatchObject({ limit: 2, total: count });
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data);
      cursor = res.body.meta.next_cursor;
      if (++pages > 20) throw new Error('paging does not end');
    } while (cursor);

    expect(seen).toHaveLength(count);
    expect(new Set(seen.map((w) => w.id)).size).toBe(count);
    for (const id of created) expect(seen.map((w) => w.id)).toContain(id);
    const order = seen.map((w) => w.created_at);
    expect([...order].sort().reverse()).toEqual(order);
    // Newest first: the last created is ahead of the first created.
    expect(seen.findIndex((w) => w.id === created[4])).toBeLessThan(seen.findIndex((w) => w.id === created[0]));

    expectEnvelope(await admin('GET', '/workspaces?cursor=garbage!'), 400, 'BAD_REQUEST');
    expectEnvelope(await admin('GET', '/workspaces?limit=0'), 400, 'BAD_REQUEST');
    expectEnvelope(await admin('GET', '/workspaces?limit=101'), 400, 'BAD_REQUEST');
  });

  it('patches name and subscription status', async () => {
    const ws = await app.createWorkspace('Before');
    const renamed = await admin('PATCH', `/workspaces/${ws.id}`, { name: 'After' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data).toMatchObject({ id: ws.id, name: 'After', subscription_status: 'active' });

    const deactivated = await admin('PATCH', `/workspaces/${ws.id}`, { subscription_status: 'inactive' });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.data).toMatchObject({ name: 'After', subscription_status: 'inactive' });
    expect((await admin('GET', `/workspaces/${ws.id}`)).body.data).toMatchObject({ name: 'After', subscription_status: 'inactive' });

    // An inactive workspace can read but not write (402).
    const ticket = { subject: 's', description: 'd', customer_email: 'a@example.com' };
    expectEnvelope(await app.request('POST', '/api/v1/tickets', { token: ws.key, body: ticket }), 402, 'PAYMENT_REQUIRED');
    expect((await app.request('GET', '/api/v1/tickets', { token: ws.key })).status).toBe(200);
    // A write to a route that does not exist is a 404, not a 402.
    expectEnvelope(await app.request('POST', '/api/v1/no-such-resource', { token: ws.key, body: {} }), 404, 'NOT_FOUND');

    expect((await admin('PATCH', `/workspaces/${ws.id}`, { subscription_status: 'active' })).status).toBe(200);
    const deadline = Date.now() + 2_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await app.request('POST', '/api/v1/tickets', { token: ws.key, body: ticket })).status;
      if (status === 201) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(201);
  });

  it('rejects invalid bodies with 400 and field details, writing nothing', async () => {
    const ws = await app.createWorkspace('Valid');
    const countBefore = await total();
    const headBefore = await app.infrastructure.eventStore.headPosition();
    const cases: Array<[string, string, unknown, string | null]> = [
      ['POST', '/workspaces', {}, 'name'],
      ['POST', '/workspaces', { name: '' }, 'name'],
      ['POST', '/workspaces', { name: 'n'.repeat(121) }, 'name'],
      ['POST', '/workspaces', { name: 7 }, 'name'],
      ['POST', '/workspaces', { name: 'ok', plan: 'gold' }, 'plan'],
      ['POST', '/workspaces', '{"name": ', null],
      ['PATCH', `/workspaces/${ws.id}`, { subscription_status: 'paused' }, 'subscription_status'],
      ['PATCH', `/workspaces/${ws.id}`, { name: '' }, 'name'],
      ['PATCH', `/workspaces/${ws.id}`, { id: randomUUID() }, 'id'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await admin(method, path, body);
      expectEnvelope(res, 400, 'BAD_REQUEST');
      if (field) expect({ body, fields: Object.keys(res.body.error.details) }).toEqual({ body, fields: expect.arrayContaining([field]) });
    }
    expect(await app.infrastructure.eventStore.headPosition()).toBe(headBefore);
    expect(await total()).toBe(countBefore);
    expect((await admin('GET', `/workspaces/${ws.id}`)).body.data.name).toBe('Valid');
  });

  it('answers 404 for unknown or malformed workspace ids and unknown keys', async () => {
    const ws = await app.createWorkspace('Known');
    const headBefore = await app.infrastructure.eventStore.headPosition();
    for (const id of [randomUUID(), 'not-a-uuid']) {
      expectEnvelope(await admin('GET', `/workspaces/${id}`), 404, 'NOT_FOUND');
      expectEnvelope(await admin('PATCH', `/workspaces/${id}`, { name: 'x' }), 404, 'NOT_FOUND');
      expectEnvelope(await admin('POST', `/workspaces/${id}/api-keys`), 404, 'NOT_FOUND');
      expectEnvelope(await admin('DELETE', `/workspaces/${id}/api-keys/${ws.keyId}`), 404, 'NOT_FOUND');
    }
    expectEnvelope(await admin('DELETE', `/workspaces/${ws.id}/api-keys/${randomUUID()}`), 404, 'NOT_FOUND');
    // A key of another workspace is not this workspace's key.
    const other = await app.createWorkspace('Other');
    const headAfterCreate = await app.infrastructure.eventStore.headPosition();
    expectEnvelope(await admin('DELETE', `/workspaces/${ws.id}/api-keys/${other.keyId}`), 404, 'NOT_FOUND');
    expect(headAfterCreate).toBeGreaterThan(headBefore);
    expect(await app.infrastructure.eventStore.headPosition()).toBe(headAfterCreate);
    expect((await app.request('GET', '/api/v1/tickets', { token: other.key })).status).toBe(200);
  });

  it('calls that take no body (POSTs like issue a key, every DELETE) refuse one, writing nothing; none or {} is fine', async () => {
    const ws = await app.createWorkspace('No body');
    const head = await app.infrastructure.eventStore.headPosition();
    const unknown = await admin('POST', `/workspaces/${ws.id}/api-keys`, { name: 'ci key', scopes: ['x'] });
    expectEnvelope(unknown, 400, 'BAD_REQUEST');
    expect(Object.keys(unknown.body.error.details)).toEqual(['name', 'scopes']);
    expectEnvelope(await admin('POST', `/workspaces/${ws.id}/api-keys`, [1, 2]), 400, 'BAD_REQUEST');
    expectEnvelope(await admin('POST', '/projections/articles/rebuild', { x: 1 }), 400, 'BAD_REQUEST');
    expectEnvelope(await app.request('POST', `/api/v1/webhooks/${randomUUID()}/rotate-secret`, { token: ws.key, body: { secret: 'x' } }), 400, 'BAD_REQUEST');
    expectEnvelope(await admin('DELETE', `/workspaces/${ws.id}/api-keys/${ws.keyId}`, { reason: 'x' }), 400, 'BAD_REQUEST');
    expect(await app.infrastructure.eventStore.headPosition()).toBe(head);
    expect((await admin('POST', `/workspaces/${ws.id}/api-keys`, {})).status).toBe(201);
    expect((await admin('POST', `/workspaces/${ws.id}/api-keys`)).status).toBe(201);

    // DELETE takes no body either.
    const ticket = await app.request('POST', '/api/v1/tickets', { token: ws.key, body: { subject: 's', description: 'd', customer_email: 'nb@example.com' } });
    const afterTicket = await app.infrastructure.eventStore.headPosition();
    expectEnvelope(await app.request('DELETE', `/api/v1/tickets/${ticket.body.data.id}`, { token: ws.key, body: { hard: true } }), 400, 'BAD_REQUEST');
    expect(await app.infrastructure.eventStore.headPosition()).toBe(afterTicket);
    expect((await app.request('DELETE', `/api/v1/tickets/${ticket.body.data.id}`, { token: ws.key, body: {} })).status).toBe(204);
  });

  it('issues keys; a revoked key gets 401 within one second while other keys keep working', async () => {
    const ws = await app.createWorkspace('Keys');
    const issued = await admin('POST', `/workspaces/${ws.id}/api-keys`);
    expect(issued.status).toBe(201);
    expect(issued.body.data).toEqual({
      id: expect.any(String),
      key: expect.stringMatching(/^ldk_[A-Za-z0-9]{32,}$/),
      created_at: expect.any(String),
    });
    expect(issued.body.data.key).not.toBe(ws.key);
    const second = issued.body.data.key as string;
    const asKey = (key: string) => app.request('GET', '/api/v1/tickets', { token: key });

    // Both keys work, and the one to revoke is warm in any credential cache.
    expect((await asKey(ws.key)).status).toBe(200);
    expect((await asKey(second)).status).toBe(200);
    const created = await app.request('POST', '/api/v1/tickets', {
      token: second,
      body: { subject: 's', description: 'd', customer_email: 'a@example.com' },
    });
    expect(created.status).toBe(201);

    const revoked = await admin('DELETE', `/workspaces/${ws.id}/api-keys/${issued.body.data.id}`);
    expect(revoked.status).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status !== 401 && Date.now() - revokedAt < 3_000) {
      status = (await asKey(second)).status;
      if (status !== 401) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const elapsed = Date.now() - revokedAt;
    expect(status).toBe(401);
    expect(elapsed).toBeLessThan(1_000);

    // It stays revoked (also past any cache lifetime), on every route; the other key works.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expectEnvelope(await asKey(second), 401, 'UNAUTHORIZED');
    expectEnvelope(await app.request('GET', `/api/v1/tickets/${created.body.data.id}`, { token: second }), 401, 'UNAUTHORIZED');
    expect((await asKey(ws.key)).status).toBe(200);
    expect((await app.request('GET', `/api/v1/tickets/${created.body.data.id}`, { token: ws.key })).status).toBe(200);

    // Revoking it again: it is no longer an active key.
    expectEnvelope(await admin('DELETE', `/workspaces/${ws.id}/api-keys/${issued.body.data.id}`), 404, 'NOT_FOUND');
  });

  it('requires the admin token on /admin and only there', async () => {
    const ws = await app.createWorkspace('Auth');
    const paths: Array<[string, string]> = [
      ['GET', '/api/v1/admin/workspaces'],
      ['GET', `/api/v1/admin/workspaces/${ws.id}`],
      ['POST', '/api/v1/admin/workspaces'],
      ['POST', `/api/v1/admin/workspaces/${ws.id}/api-keys`],
      ['DELETE', `/api/v1/admin/workspaces/${ws.id}/api-keys/${ws.keyId}`],
    ];
    const countBefore = await total();
    const headBefore = await app.infrastructure.eventStore.headPosition();
    for (const [method, path] of paths) {
      const body = method === 'POST' ? { name: 'Sneaky' } : undefined;
      expectEnvelope(await app.request(method, path, { body }), 401, 'UNAUTHORIZED');
      expectEnvelope(await app.request(method, path, { body, token: ws.key }), 401, 'UNAUTHORIZED');
      expectEnvelope(await app.request(method, path, { body, token: 'wrong-admin-token' }), 401, 'UNAUTHORIZED');
      expectEnvelope(await app.request(method, path, { body, headers: { authorization: `Basic ${app.adminToken}` } }), 401, 'UNAUTHORIZED');
    }
    expect(await total()).toBe(countBefore);
    expect(await app.infrastructure.eventStore.headPosition()).toBe(headBefore);
    // The workspace key still works where it belongs; the admin token does not work there.
    expect((await app.request('GET', '/api/v1/tickets', { token: ws.key })).status).toBe(200);
    expectEnvelope(await app.request('GET', '/api/v1/tickets', { token: app.adminToken }), 401, 'UNAUTHORIZED');
  });
});
