import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { createTicket, expectNothingWritten } from './helpers-resources';

/**
 * Issue 19: a body nested deeper than the API walks (64 levels) is a 400 that says so, on every
 * body endpoint, whatever the depth: never a 500 (stack overflow) nor a misleading "malformed text".
 */
describe('hardening: deeply nested JSON bodies (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string };
  let inboxKey: string;

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    ws = await app.createWorkspace('Depth');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Web' } });
    expect(inbox.status).toBe(201);
    inboxKey = inbox.body.data.api_key.key;
  });
  afterAll(() => app.close());

  /** A JSON array nested `depth` levels deep (the array itself is level 1). */
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  const endpoints: Array<[string, string, (depth: number) => string, () => string]> = [
    ['POST', '/api/v1/tickets', (d) => `{"subject":"S","description":"D","customer_email":"d@example.com","tags":${nested(d - 1)}}`, () => ws.key],
    ['POST', '/api/v1/inbox/messages', (d) => `{"email":"d@example.com","message":"hi","externalId":${nested(d - 1)}}`, () => inboxKey],
    ['POST', '/api/v1/customers', (d) => `{"email":"d@example.com","custom_fields":{"x":${nested(d - 2)}}}`, () => ws.key],
  ];

  describe.each(endpoints)('%s %s', (method, path, body, token) => {
    it.each([100, 2_000, 10_000])('nested %i deep is a 400 naming the depth, and writes nothing', async (depth) => {
      const res = await expectNothingWritten(app, () => app.request(method, path, { token: token(), body: body(depth) }));
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(res.body.error.message).toMatch(/nested deeper than 64 levels/);
      expect(res.body.error.details).toEqual({ body: ['nested deeper than 64 levels'] });
    });
  });

  it('a body exactly 64 levels deep is walked as usual (custom_fields keeps it)', async () => {
    const ticket = await createTicket(app, ws.key);
    // body (1) > custom_fields (2) > deep, 62 arrays one in the other (3..64).
    const deep = JSON.parse(nested(62)) as unknown;
    const ok = await app.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: ws.key, body: { custom_fields: { deep } } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.custom_fields.deep).toEqual(deep);
    const over = await expectNothingWritten(app, () =>
      app.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: ws.key, body: { custom_fields: { deep: [deep] } } }),
    );
    expect(over.body.error.message).toMatch(/nested deeper than 64 levels/);
  });
});
