import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/**
 * Inputs a contract review found mishandled: explicit nulls, malformed text, URLs Fastify
 * cannot decode, secrets in history, private callback URLs, and how fast a deactivation bites.
 * Each rejected request must answer with the envelope and write nothing.
 */
describe('bad input hardening (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string; keyId: string };

  beforeAll(async () => {
    // Private destinations refused, as in production.
    app = await startApiTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    ws = await app.createWorkspace('Hardening');
  });
  afterAll(() => app.close());

  const call = (method: string, path: string, body?: unknown, token = ws.key) => app.request(method, `/api/v1${path}`, { token, body });
  const head = () => app.infrastructure.eventStore.headPosition();
  const expectRejected = async (write: () => Promise<TestResponse>, status: number, code: string) => {
    const before = await head();
    const res = await write();
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    expect(await head()).toBe(before);
    return res;
  };
  const newTicket = async () => {
    const res = await call('POST', '/tickets', { subject: 'S', description: 'D', customer_email: 'n@example.com' });
    expect(res.status).toBe(201);
    return res.body.data.id as string;
  };

  it.each([['status'], ['priority'], ['subject'], ['custom_fields'], ['tags']])(
    'PATCH /tickets/{id} with %s: null is a 400 naming the field, and writes nothing',
    async (field) => {
      const id = await newTicket();
      const res = await expectRejected(() => call('PATCH', `/tickets/${id}`, { [field]: null }), 400, 'BAD_REQUEST');
      expect(Object.keys(res.body.error.details)).toContain(field);
    },
  );

  it('a blank subject or message (white space only) is a 400 naming the field, wherever one is written; nothing written', async () => {
    const id = await newTicket();
    const inbox = await call('POST', '/inboxes', { name: 'Blank texts' });
    expect(inbox.status).toBe(201);
    const inboxKey = inbox.body.data.api_key.key as string;
    const pub = (path: string, body: unknown) => app.request('POST', `/public/api/v1/inboxes/${inbox.body.data.public_identifier as string}${path}`, { body });
    const contact = await pub('/contacts', {});
    expect(contact.status).toBe(201);
    const session = `/contacts/${contact.body.data.source_id as string}/conversations`;
    const conversation = await pub(session, {});
    expect(conversation.status).toBe(201);
    const blank = ' \n\t ';
    const ticket = { subject: 'S', description: 'D', customer_email: 'blank@example.com' };
    for (const [write, field] of [
      [() => call('POST', '/tickets', { ...ticket, subject: blank }), 'subject'],
      [() => call('POST', '/tickets', { ...ticket, description: blank }), 'description'],
      [() => call('PATCH', `/tickets/${id}`, { subject: blank }), 'subject'],
      [() => call('POST', `/tickets/${id}/messages`, { body: blank }), 'body'],
      [() => call('POST', `/tickets/${id}/messages`, { content: blank }), 'content'],
      [() => call('POST', '/conversations', { ticket_id: id, content: blank, type: 'reply' }), 'content'],
      [() => call('POST', '/inbox/messages', { email: 'blank@example.com', message: blank }, inboxKey), 'message'],
      [() => call('POST', '/inbox/messages', { email: 'blank@example.com', message: 'Hi', subject: blank }, inboxKey), 'subject'],
      [() => pub(`${session}/${conversation.body.data.id as string}/messages`, { content: blank }), 'content'],
      [() => pub(session, { message: { content: blank } }), 'message.content'],
    ] as const) {
      const res = await expectRejected(write, 400, 'BAD_REQUEST');
      expect(Object.keys(res.body.error.details)).toContain(field);
    }
  });

  it('PATCH /tickets/{id} with assignee_id null still unassigns (null means something there)', async () => {
    const id = await newTicket();
    const res = await call('PATCH', `/tickets/${id}`, { assignee_id: null });
    expect(res.status).toBe(200);
  });

  it('PATCH /admin/workspaces/{id} with subscription_status or name null is a 400', async () => {
    for (const field of ['subscription_status', 'name']) {
      await expectRejected(
        () => app.request('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: app.adminToken, body: { [field]: null } }),
        400,
        'BAD_REQUEST',
      );
    }
  });

  it('a lone UTF-16 surrogate in an email is a 400, not a 500', async () => {
    const body = `{"subject":"S","description":"D","customer_email":"a\\ud800@example.com"}`;
    await expectRejected(() => call('POST', '/tickets', body), 400, 'BAD_REQUEST');
    await expectRejected(() => call('POST', '/customers', `{"email":"\\ud800@x.io"}`), 400, 'BAD_REQUEST');
  });

  it.each([
    ['POST', '/tags', '{"name":"\\ud800"}', 'name'],
    ['POST', '/tags', '{"name":"a\\udc00b"}', 'name'],
    ['POST', '/tickets', '{"subject":"S","description":"D","customer_email":"t@example.com","tags":["\\ud800"]}', 'tags.0'],
    ['POST', '/tickets', '{"subject":"\\ud800","description":"D","customer_email":"t@example.com"}', 'subject'],
    ['POST', '/customers', '{"email":"c@example.com","custom_fields":{"\\udfff":"x"}}', 'custom_fields.\udfff'],
  ])('%s %s with a lone surrogate (%s) is a 400 naming the field and writes nothing', async (method, path, body, field) => {
    const res = await expectRejected(() => call(method, path, body), 400, 'BAD_REQUEST');
    expect(Object.keys(res.body.error.details)).toEqual([field]);
  });

  it('well-formed surrogate pairs (emoji) are accepted', async () => {
    const res = await call('POST', '/tags', '{"name":"party \\ud83c\\udf89"}');
    expect(res.status).toBe(201);
    expect(res.body.data.name).toBe('party 🎉');
  });

  it('an empty body with a JSON content type is no body: DELETE answers 404/204, POST /tickets 400', async () => {
    const empty = (method: string, path: string) =>
      fetch(`${app.baseUrl}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${ws.key}`, 'content-type': 'application/json', 'content-length': '0' },
      });
    const unknown = await empty('DELETE', '/tags/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    const tag = await call('POST', '/tags', { name: 'to-delete' });
    expect((await empty('DELETE', `/tags/${tag.body.data.id}`)).status).toBe(204);
    const noBody = await empty('POST', '/tickets');
    expect(noBody.status).toBe(400);
    expect(((await noBody.json()) as { error: { message: string } }).error.message).toBe('Request body must be a JSON object');
  });

  it('a URL Fastify cannot decode answers in the envelope with a request id', async () => {
    const res = await call('GET', '/tickets/%ZZ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it("headers too large for the HTTP parser still answer in the envelope, with one of the contract's codes (400)", async () => {
    const res = await fetch(`${app.baseUrl}/api/v1/tickets?q=${'x'.repeat(100_000)}`, { headers: { authorization: `Bearer ${ws.key}` } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toMatchObject({ code: 'BAD_REQUEST', message: 'Request headers (or the URL) are too large' });
  });

  it.each([
    ['POST /tickets', '/tickets', ['{"subject":"', '","description":"D","customer_email":"utf8@example.com"}']],
    ['POST /tags', '/tags', ['{"name":"', '"}']],
  ])('%s with bytes that are not UTF-8 is a 400 and writes nothing (never stored as U+FFFD)', async (_name, path, [open, close]) => {
    const before = await head();
    // "café" as Latin-1: the é is the lone byte 0xE9.
    const body = Buffer.concat([Buffer.from(open), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from(close)]);
    const res = await fetch(`${app.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.key}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    const envelope = (await res.json()) as { error: { code: string; message: string } };
    expect(envelope.error).toMatchObject({ code: 'BAD_REQUEST', message: 'Request body is not valid UTF-8' });
    expect(await head()).toBe(before);
  });

  it('free-form objects hold at most 16 KiB of JSON (custom fields, custom attributes), wherever they are taken', async () => {
    const big = { notes: 'x'.repeat(16 * 1024) };
    const fits = { notes: 'x'.repeat(16 * 1024 - 20) };
    const id = await newTicket();
    for (const [method, path, body] of [
      ['POST', '/customers', { email: 'big@example.com', custom_fields: big }],
      ['PATCH', `/tickets/${id}`, { custom_fields: big }],
    ] as const) {
      const res = await expectRejected(() => call(method, path, body), 400, 'BAD_REQUEST');
      expect(Object.keys(res.body.error.details)).toEqual(['custom_fields']);
    }
    const inbox = await call('POST', '/inboxes', { name: 'Chat' });
    const contacts = `/public/api/v1/inboxes/${inbox.body.data.public_identifier as string}/contacts`;
    const anonymous = await expectRejected(() => app.request('POST', contacts, { body: { custom_attributes: big } }), 400, 'BAD_REQUEST');
    expect(Object.keys(anonymous.body.error.details)).toEqual(['custom_attributes']);
    expect((await call('PATCH', `/tickets/${id}`, { custom_fields: fits })).status).toBe(200);
    expect((await app.request('POST', contacts, { body: { custom_attributes: fits } })).status).toBe(201);
  });

  it('a very long path id is a 404 in the envelope', async () => {
    const res = await call('GET', `/tickets/${'a'.repeat(5000)}`);
    expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
  });

  it('limit accepts plain digits only', async () => {
    for (const limit of ['1e1', '0x10', '%201']) {
      const res = await call('GET', `/tickets?limit=${limit}`);
      expect({ limit, status: res.status }).toEqual({ limit, status: 400 });
    }
  });

  it('the Bearer scheme name is case-insensitive', async () => {
    const res = await app.request('GET', '/api/v1/tickets', { headers: { authorization: `bearer ${ws.key}` } });
    expect(res.status).toBe(200);
  });

  it('history never shows secrets: webhook secrets are redacted in the change feed', async () => {
    const created = await call('POST', '/webhooks', { url: 'https://hooks.example.com/ld', events: ['*'] });
    expect(created.status).toBe(201);
    const secret: string = created.body.data.secret;
    const feed = await call('GET', '/events?limit=100');
    expect(feed.status).toBe(200);
    const text = JSON.stringify(feed.body);
    expect(text).not.toContain(secret.slice('whsec_'.length));
    expect(text).toContain('[redacted]');
  });

  it('an inbox callback_url on a private address is a 400 on create and on update', async () => {
    await expectRejected(() => call('POST', '/inboxes', { name: 'Web', callback_url: 'http://127.0.0.1/cb' }), 400, 'BAD_REQUEST');
    const inbox = await call('POST', '/inboxes', { name: 'Web', callback_url: 'https://example.com/cb' });
    expect(inbox.status).toBe(201);
    expect(inbox.body.data.callback_url).toBe('https://example.com/cb');
    await expectRejected(() => call('PATCH', `/inboxes/${inbox.body.data.id}`, { callback_url: 'http://10.1.2.3/x' }), 400, 'BAD_REQUEST');
  });

  it('a deactivated workspace gets 402 on the very next write', async () => {
    const other = await app.createWorkspace('Soon inactive');
    expect((await call('POST', '/tags', { name: 'before' }, other.key)).status).toBe(201);
    const patch = await app.request('PATCH', `/api/v1/admin/workspaces/${other.id}`, {
      token: app.adminToken,
      body: { subscription_status: 'inactive' },
    });
    expect(patch.status).toBe(200);
    await expectRejected(() => call('POST', '/tags', { name: 'after' }, other.key), 402, 'PAYMENT_REQUIRED');
    expect((await call('GET', '/tags', undefined, other.key)).status).toBe(200); // reads keep working
  });

  it('a revoked workspace key gets 401 on the very next request', async () => {
    const other = await app.createWorkspace('Revoker');
    expect((await call('GET', '/tickets', undefined, other.key)).status).toBe(200);
    const revoke = await app.request('DELETE', `/api/v1/admin/workspaces/${other.id}/api-keys/${other.keyId}`, { token: app.adminToken });
    expect(revoke.status).toBe(204);
    expect((await call('GET', '/tickets', undefined, other.key)).status).toBe(401);
  });
});
