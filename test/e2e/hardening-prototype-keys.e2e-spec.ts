import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { createTicket, expectNothingWritten } from './helpers-resources';

/**
 * Issue 19: a body key named like an Object.prototype member is a key like any other. Where the
 * schema does not declare it, it is a 400 naming it (as `"foo": 1` is); inside a free-form map
 * (`custom_fields`) it is data, stored and returned as sent.
 */
describe('hardening: keys named like Object.prototype members (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string };
  let inboxKey: string;
  let ticketId: string;
  let customerId: string;
  let inboxId: string;
  let webhookId: string;

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    ws = await app.createWorkspace('Prototype keys');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Web' } });
    inboxId = inbox.body.data.id;
    inboxKey = inbox.body.data.api_key.key;
    ticketId = (await createTicket(app, ws.key)).id;
    const customer = await app.request('POST', '/api/v1/customers', { token: ws.key, body: { email: 'proto@example.com' } });
    customerId = customer.body.data.id;
    const webhook = await app.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url: 'https://hooks.example.com/x', events: ['*'] } });
    webhookId = webhook.body.data.id;
  });
  afterAll(() => app.close());

  const keys = ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'toLocaleString', 'prototype', 'constructor', '__defineGetter__', 'foo'];

  // [method, path, a valid body (as JSON text without the closing brace), token]
  const endpoints: Array<[string, string, string | (() => string), () => string]> = [
    ['POST', '/api/v1/tickets', '{"subject":"S","description":"D","customer_email":"p@example.com"', () => ws.key],
    ['PATCH', '/api/v1/tickets/{ticket}', '{"priority":"high"', () => ws.key],
    ['POST', '/api/v1/tickets/{ticket}/messages', '{"body":"hello"', () => ws.key],
    ['POST', '/api/v1/customers', '{"email":"new-proto@example.com"', () => ws.key],
    ['PATCH', '/api/v1/customers/{customer}', '{"name":"N"', () => ws.key],
    ['POST', '/api/v1/tags', '{"name":"proto-tag"', () => ws.key],
    ['POST', '/api/v1/users', '{"email":"agent-proto@example.com","name":"A"', () => ws.key],
    ['POST', '/api/v1/articles', '{"title":"T","body":"B"', () => ws.key],
    ['POST', '/api/v1/conversations', () => `{"ticket_id":"${ticketId}","content":"c","type":"reply"`, () => ws.key],
    ['POST', '/api/v1/webhooks', '{"url":"https://hooks.example.com/y","events":["*"]', () => ws.key],
    ['PATCH', '/api/v1/webhooks/{webhook}', '{"description":"d"', () => ws.key],
    ['POST', '/api/v1/inboxes', '{"name":"Other"', () => ws.key],
    ['PATCH', '/api/v1/inboxes/{inbox}', '{"name":"Renamed"', () => ws.key],
    ['PUT', '/api/v1/integrations/slack', '{"bot_token":"xoxb-12345678","default_channel_id":"C0PROTO"', () => ws.key],
    ['POST', '/api/v1/inbox/messages', '{"email":"p@example.com","message":"hi"', () => inboxKey],
    ['POST', '/api/v1/admin/workspaces', '{"name":"W"', () => app.adminToken],
  ];

  const resolve = (path: string) =>
    path.replace('{ticket}', ticketId).replace('{customer}', customerId).replace('{webhook}', webhookId).replace('{inbox}', inboxId);

  describe.each(endpoints)('%s %s', (method, path, body, token) => {
    it.each(keys)('an unknown top-level "%s" is a 400 naming it, and writes nothing', async (key) => {
      const res = await expectNothingWritten(app, () =>
        app.request(method, resolve(path), { token: token(), body: `${typeof body === 'string' ? body : body()},"${key}":1}` }),
      );
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(Object.keys(res.body.error.details)).toEqual([key]);
    });

    // Fastify's JSON parser refuses `__proto__` anywhere in a body (prototype poisoning guard),
    // before any schema: a 400 that does not name it (the parser does not say where it was).
    it('a "__proto__" key is a 400, and writes nothing', async () => {
      const res = await expectNothingWritten(app, () =>
        app.request(method, resolve(path), { token: token(), body: `${typeof body === 'string' ? body : body()},"__proto__":1}` }),
      );
      expect(res.body.error.code).toBe('BAD_REQUEST');
    });

    it('the same body without the extra key is accepted', async () => {
      const res = await app.request(method, resolve(path), { token: token(), body: `${typeof body === 'string' ? body : body()}}` });
      expect(res.status).toBeLessThan(300);
    });
  });

  it('an unknown "constructor" in a query is refused like "foo"', async () => {
    for (const key of ['foo', 'constructor', 'toString', 'hasOwnProperty']) {
      const res = await app.request('GET', `/api/v1/tickets?${key}=1`, { token: ws.key });
      expect({ key, status: res.status }).toEqual({ key, status: 400 });
      expect(Object.keys(res.body.error.details)).toEqual([key]);
    }
  });

  const fields = { toString: 'x', constructor: 'y', valueOf: 'v', hasOwnProperty: 'h', prototype: 'p', plain: 'k' };

  it('custom_fields keeps prototype-named keys on a ticket PATCH (answer and GET)', async () => {
    const res = await app.request('PATCH', `/api/v1/tickets/${ticketId}`, { token: ws.key, body: { custom_fields: fields } });
    expect(res.status).toBe(200);
    expect(res.body.data.custom_fields).toEqual(fields);
    const got = await app.request('GET', `/api/v1/tickets/${ticketId}`, {
      token: ws.key,
      headers: { 'x-consistent-with': String(res.headers.get('x-log-position')) },
    });
    expect(got.body.data.custom_fields).toEqual(fields);
    // null removes one of them, like any field
    const removed = await app.request('PATCH', `/api/v1/tickets/${ticketId}`, { token: ws.key, body: { custom_fields: { constructor: null } } });
    const { constructor: _gone, ...rest } = fields;
    expect(removed.body.data.custom_fields).toEqual(rest);
  });

  it('custom_fields keeps prototype-named keys, also nested, on a customer', async () => {
    const custom = { ...fields, nested: { toString: 1, constructor: [{ valueOf: true }] } };
    const res = await app.request('POST', '/api/v1/customers', { token: ws.key, body: { email: 'fields@example.com', custom_fields: custom } });
    expect(res.status).toBe(201);
    expect(res.body.data.custom_fields).toEqual(custom);
    const got = await app.request('GET', `/api/v1/customers/${res.body.data.id}`, {
      token: ws.key,
      headers: { 'x-consistent-with': String(res.headers.get('x-log-position')) },
    });
    expect(got.body.data.custom_fields).toEqual(custom);
  });
});
