import { CommandBus } from '@nestjs/cqrs';
import { Webhook } from 'standardwebhooks';
import { systemContext } from '@ledgerdesk/shared';
import { AppendMessageCommand } from '@ledgerdesk/tickets';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp, startDeliveriesTestBed, type DeliveriesTestBed } from '../support/api-test-app';
import { waitFor, type Receiver } from '@ledgerdesk/testing';

describe('Webhooks and Slack (e2e, real Redis, local receivers)', () => {
  let bed: DeliveriesTestBed;
  let app: TestApp;
  let slack: DeliveriesTestBed['slack'];

  beforeAll(async () => {
    bed = await startDeliveriesTestBed();
    ({ app, slack } = bed);
  });
  afterAll(async () => {
    await bed?.close();
  });

  const receiver = (respond?: Receiver['respond']) => bed.receiver(respond);

  async function createEndpoint(key: string, body: Record<string, unknown>) {
    const res = await app.request('POST', '/api/v1/webhooks', { token: key, body });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; secret: string };
  }

  async function createTicket(key: string, subject = 'Printer on fire') {
    const res = await app.request('POST', '/api/v1/tickets', {
      token: key,
      body: { subject, description: 'It is on fire', customer_email: 'ada@example.com', customer_name: 'Ada' },
    });
    expect(res.status).toBe(201);
    return res.body.data as { id: string };
  }

  const reply = (key: string, ticketId: string, body: string) =>
    app.request('POST', `/api/v1/tickets/${ticketId}/messages`, { token: key, body: { body } }).then((r) => {
      expect(r.status).toBe(201);
      return r.body.data as { id: string };
    });

  const internalNote = (workspaceId: string, ticketId: string, body: string) =>
    app.app
      .get(CommandBus)
      .execute(
        new AppendMessageCommand(
          workspaceId,
          ticketId,
          { body, authorType: 'agent', authorId: null, internal: true, externalId: null },
          systemContext(workspaceId),
        ),
      );

  it('delivers a ticket and three messages, signed and in order, to every endpoint and as one Slack thread', async () => {
    const ws = await app.createWorkspace();
    const publicOnly = await receiver();
    const withInternal = await receiver();
    const a = await createEndpoint(ws.key, { url: publicOnly.url, events: ['ticket.created', 'ticket.message.created', 'ticket.updated'] });
    const b = await createEndpoint(ws.key, { url: withInternal.url, events: ['ticket.created', 'ticket.message.created'], include_internal: true });
    expect(a.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const put = await app.request('PUT', '/api/v1/integrations/slack', {
      token: ws.key,
      body: { bot_token: 'xoxb-test-token-123', default_channel_id: 'C0TEST01' },
    });
    expect(put.status).toBe(200);
    expect(put.body.data.bot_token).not.toContain('test-token');

    const ticket = await createTicket(ws.key);
    const long = 'x'.repeat(5000);
    const m1 = await reply(ws.key, ticket.id, 'first reply');
    const m2 = await reply(ws.key, ticket.id, long);
    const m3 = await reply(ws.key, ticket.id, 'third reply');
    await internalNote(ws.id, ticket.id, 'agents only');

    await waitFor(() => publicOnly.received.length >= 4 && withInternal.received.length >= 5 && slack.posts.length >= 5, 20_000, 'deliveries');
    await new Promise((r) => setTimeout(r, 500)); // nothing more may come

    for (const [r, secret] of [
      [publicOnly, a.secret],
      [withInternal, b.secret],
    ] as const) {
      for (const got of r.received) {
        // The reference library's verifier accepts every delivery.
        expect(() => new Webhook(secret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
        expect(got.headers['webhook-id']).toBe(got.json.id);
        expect(got.json.workspace_id).toBe(ws.id);
        expect(got.json.data.ticket.id).toBe(ticket.id);
      }
    }
    expect(publicOnly.received.map((r) => r.json.type)).toEqual([
      'ticket.created',
      'ticket.message.created',
      'ticket.message.created',
      'ticket.message.created',
    ]);
    expect(publicOnly.received.slice(1).map((r) => r.json.data.message.id)).toEqual([m1.id, m2.id, m3.id]);
    expect(publicOnly.received[0].json.data.message).toBeUndefined();
    // Sent at the first message's event: the ticket as of then counts it.
    expect(publicOnly.received[0].json.data.ticket.message_count).toBe(1);
    expect(publicOnly.received[3].json.data.ticket.message_count).toBe(4);
    expect(withInternal.received).toHaveLength(5);
    expect(withInternal.received[4].json.data.message).toMatchObject({ body: 'agents only', internal: true });

    // Slack: one root, then the replies in order with the root's ts; long text cut with a marker.
    const [root, ...replies] = slack.posts;
    expect(root.thread_ts).toBeUndefined();
    expect(root.channel).toBe('C0TEST01');
    expect(root.token).toBe('xoxb-test-token-123');
    expect(root.text).toContain('Printer on fire');
    expect(replies).toHaveLength(4);
    for (const p of replies) expect(p.thread_ts).toBe(root.ts);
    expect(replies[0].text).toContain('first reply');
    expect(replies[1].text.length).toBeLessThanOrEqual(3000);
    expect(replies[1].text).toContain('truncated');
    expect(replies[2].text).toContain('third reply');
    expect(replies[3].text.startsWith(':lock: Internal note')).toBe(true);
    for (let i = 1; i < slack.posts.length; i++) expect(slack.posts[i].at - slack.posts[i - 1].at).toBeGreaterThanOrEqual(950);

    // The root's ts lives in its own stream, not the ticket's.
    const linked = await app.infrastructure.eventStore.readStream(`slack-thread-${ticket.id}`);
    expect(linked.map((e) => e.type)).toEqual(['SlackThreadLinked']);
    expect(linked[0].data).toMatchObject({ ticket_id: ticket.id, ts: root.ts, channel_id: 'C0TEST01' });
    const ticketEvents = await app.infrastructure.eventStore.readStream(`ticket-${ticket.id}`);
    expect(ticketEvents.map((e) => e.type)).not.toContain('SlackThreadLinked');

    // The delivery log shows one successful attempt each.
    const log = await app.request('GET', `/api/v1/webhooks/${a.id}/deliveries`, { token: ws.key });
    expect(log.status).toBe(200);
    expect(log.body.meta.total).toBe(4);
    expect(log.body.data.every((d: { status: string; attempts: unknown[] }) => d.status === 'succeeded' && d.attempts.length === 1)).toBe(true);
  }, 40_000);

  it('customer events carry the customer object as of the event: created in full, deleted in the erased form', async () => {
    const ws = await app.createWorkspace();
    const hook = await receiver();
    await createEndpoint(ws.key, { url: hook.url, events: ['customer.created', 'customer.deleted'] });
    const created = await app.request('POST', '/api/v1/customers', {
      token: ws.key,
      body: { email: 'direct@example.com', name: 'Direct', phone: '+1', company: 'D Inc', custom_fields: { k: 'v' } },
    });
    expect(created.status).toBe(201);
    const customer = created.body.data as { id: string; created_at: string };
    // Delivered before the erasure (a delivery attempted after it carries no personal data).
    await waitFor(() => hook.received.length >= 1, 20_000, 'customer.created');
    expect((await app.request('DELETE', `/api/v1/customers/${customer.id}`, { token: ws.key })).status).toBe(204);

    await waitFor(() => hook.received.length >= 2, 20_000, 'customer.deleted');
    expect(hook.received.map((r) => r.json.type)).toEqual(['customer.created', 'customer.deleted']);
    // The object GET /customers/{id} answered right after its creation.
    expect(hook.received[0].json.data).toEqual({ customer: created.body.data });
    expect(hook.received[1].json.data).toEqual({ customer: { id: customer.id, name: null, email: null, company: null, erased: true } });
  });

  it('retries 500, 500, 200 on the schedule, keeps webhook-id, records every attempt, and holds later events of the ticket back meanwhile', async () => {
    const ws = await app.createWorkspace();
    let createdAttempts = 0;
    const flaky = await receiver((_n, req) => (req.json.type === 'ticket.created' && ++createdAttempts <= 2 ? 500 : 200));
    const ep = await createEndpoint(ws.key, { url: flaky.url, events: ['ticket.created', 'ticket.message.created'] });
    const ticket = await createTicket(ws.key);
    await reply(ws.key, ticket.id, 'one');
    await reply(ws.key, ticket.id, 'two');

    const ticketOnly = () => flaky.received.filter((r) => r.json.type.startsWith('ticket.'));
    await waitFor(() => ticketOnly().length >= 5, 15_000, 'retries');
    const types = ticketOnly().map((r) => r.json.type);
    expect(types).toEqual(['ticket.created', 'ticket.created', 'ticket.created', 'ticket.message.created', 'ticket.message.created']);
    const ids = new Set(flaky.received.slice(0, 3).map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    // Delays follow the schedule (100, 200 ms + up to 10% jitter).
    expect(flaky.received[1].at - flaky.received[0].at).toBeGreaterThanOrEqual(95);
    expect(flaky.received[2].at - flaky.received[1].at).toBeGreaterThanOrEqual(195);

    const log = await app.request('GET', `/api/v1/webhooks/${ep.id}/deliveries?limit=10`, { token: ws.key });
    const created = log.body.data.find((d: { event_type: string }) => d.event_type === 'ticket.created');
    expect(created.status).toBe('succeeded');
    expect(created.attempts.map((a: { response_status: number }) => a.response_status)).toEqual([500, 500, 200]);
    for (const attempt of created.attempts) {
      expect(typeof attempt.duration_ms).toBe('number');
      expect(Date.parse(attempt.at)).not.toBeNaN();
    }
    expect(created.attempts[0].error).toBe('http_500');
    expect(created.next_attempt_at).toBeNull();

    // Paging is keyset-based.
    const page1 = await app.request('GET', `/api/v1/webhooks/${ep.id}/deliveries?limit=2`, { token: ws.key });
    expect(page1.body.data).toHaveLength(2);
    const page2 = await app.request('GET', `/api/v1/webhooks/${ep.id}/deliveries?limit=2&cursor=${page1.body.meta.next_cursor}`, { token: ws.key });
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.meta.next_cursor).toBeNull();

    // A manual retry sends it again (same webhook-id) and answers 202.
    const retry = await app.request('POST', `/api/v1/webhooks/${ep.id}/deliveries/${created.id}/retry`, { token: ws.key });
    expect(retry.status).toBe(202);
    await waitFor(() => flaky.received.length >= 6, 10_000, 'manual retry');
    expect(flaky.received[5].headers['webhook-id']).toBe(created.event_id);
  }, 40_000);

  it('gives up after the schedule, honours Retry-After on 503, and a 410 disables the endpoint', async () => {
    const ws = await app.createWorkspace();
    const gone = await receiver(() => 410);
    const busy = await receiver((n) => (n === 0 ? { status: 503, headers: { 'retry-after': '1' } } : 200));
    const dead = await receiver(() => 500);
    const g = await createEndpoint(ws.key, { url: gone.url, events: ['ticket.created'] });
    await createEndpoint(ws.key, { url: busy.url, events: ['ticket.created'] });
    const d = await createEndpoint(ws.key, { url: dead.url, events: ['ticket.created'] });
    await createTicket(ws.key);

    await waitFor(() => busy.received.length >= 2 && dead.received.length >= 4, 15_000, 'busy + dead');
    expect(busy.received[1].at - busy.received[0].at).toBeGreaterThanOrEqual(990);
    // The worker records an attempt once the answer is in: after the request reached the receiver.
    const deadLog = () => app.request('GET', `/api/v1/webhooks/${d.id}/deliveries`, { token: ws.key });
    await waitFor(async () => (await deadLog()).body.data[0]?.status === 'failed', 5_000, 'dead delivery recorded as failed');
    await new Promise((r) => setTimeout(r, 800));
    expect(dead.received).toHaveLength(4); // 1 + 3 delays
    const log = await deadLog();
    expect(log.body.data[0]).toMatchObject({ status: 'failed', next_attempt_at: null });
    expect(log.body.data[0].attempts).toHaveLength(4);

    expect(gone.received).toHaveLength(1);
    const endpoint = () => app.request('GET', `/api/v1/webhooks/${g.id}`, { token: ws.key });
    await waitFor(async () => (await endpoint()).body.data.enabled === false, 5_000, 'endpoint disabled after the 410');
    await createTicket(ws.key, 'second');
    await waitFor(() => busy.received.length >= 3, 10_000, 'second ticket');
    expect(gone.received).toHaveLength(1);
  }, 40_000);

  it('manages endpoints: list, get, patch, rotate the secret, delete; tenancy is a 404', async () => {
    const ws = await app.createWorkspace();
    const other = await app.createWorkspace('other');
    const r = await receiver();
    const ep = await createEndpoint(ws.key, { url: r.url, events: ['ticket.created'], description: 'main' });
    const list = await app.request('GET', '/api/v1/webhooks', { token: ws.key });
    expect(list.body.meta).toMatchObject({ total: 1, next_cursor: null });
    expect(list.body.data[0]).toMatchObject({ id: ep.id, url: r.url, events: ['ticket.created'], include_internal: false, enabled: true, description: 'main' });
    expect(list.body.data[0].secret).toBeUndefined();
    expect((await app.request('GET', `/api/v1/webhooks/${ep.id}`, { token: other.key })).status).toBe(404);
    expect((await app.request('GET', `/api/v1/webhooks/not-a-uuid`, { token: ws.key })).status).toBe(404);

    const patched = await app.request('PATCH', `/api/v1/webhooks/${ep.id}`, { token: ws.key, body: { events: ['*'], include_internal: true } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ events: ['*'], include_internal: true });
    expect((await app.request('PATCH', `/api/v1/webhooks/${ep.id}`, { token: ws.key, body: { bogus: 1 } })).status).toBe(400);
    // `events` as a string, not a list: the answer says what is wrong with it.
    for (const [method, path] of [
      ['POST', '/api/v1/webhooks'],
      ['PATCH', `/api/v1/webhooks/${ep.id}`],
    ] as const) {
      const notAList = await app.request(method, path, { token: ws.key, body: { url: r.url, events: '*' } });
      expect(notAList.status).toBe(400);
      expect(notAList.body.error.details.events).toContain('events must be an array');
    }

    const rotated = await app.request('POST', `/api/v1/webhooks/${ep.id}/rotate-secret`, { token: ws.key });
    expect(rotated.body.data.secret).toMatch(/^whsec_/);
    expect(rotated.body.data.secret).not.toBe(ep.secret);
    await createTicket(ws.key);
    await waitFor(() => r.received.length >= 1, 10_000, 'delivery after rotation');
    expect(() => new Webhook(rotated.body.data.secret).verify(r.received[0].body, r.received[0].headers as Record<string, string>)).not.toThrow();

    expect((await app.request('DELETE', `/api/v1/webhooks/${ep.id}`, { token: ws.key })).status).toBe(204);
    expect((await app.request('GET', `/api/v1/webhooks/${ep.id}`, { token: ws.key })).status).toBe(404);
    expect((await app.request('GET', '/api/v1/integrations/slack', { token: ws.key })).status).toBe(404);
  }, 30_000);

  it('an inactive workspace may only disable (PATCH {enabled:false}) or delete a webhook: anything else is 402, before validation', async () => {
    const ws = await app.createWorkspace('Lapsed');
    const r = await receiver();
    const ep = await createEndpoint(ws.key, { url: r.url, events: ['ticket.created'] });
    const ep2 = await createEndpoint(ws.key, { url: r.url, events: ['ticket.created'] });
    const deactivate = await app.request('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: app.adminToken, body: { subscription_status: 'inactive' } });
    expect(deactivate.status).toBe(200);
    // Credentials are cached for a moment: probe with an invalid create (400 active, 402 inactive).
    await waitFor(async () => (await app.request('POST', '/api/v1/webhooks', { token: ws.key, body: {} })).status === 402, 5_000, 'inactive');

    const patch = (id: string, body: unknown) => app.request('PATCH', `/api/v1/webhooks/${id}`, { token: ws.key, body });
    for (const body of [
      { enabled: true },
      { description: 'x' },
      { enabled: false, description: 'x' },
      { url: r.url },
      { events: ['*'] },
      { include_internal: true },
      {},
      { bogus: 1 },
      { enabled: 'false' },
    ]) {
      const res = await patch(ep.id, body);
      expect({ body, status: res.status, code: res.body?.error?.code }).toEqual({ body, status: 402, code: 'PAYMENT_REQUIRED' });
    }
    expect((await app.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url: r.url, events: ['*'] } })).status).toBe(402);
    expect((await app.request('PUT', '/api/v1/integrations/slack', { token: ws.key, body: { bot_token: 'xoxb-1', default_channel_id: 'C1' } })).status).toBe(
      402,
    );
    expect((await app.request('DELETE', '/api/v1/integrations/slack', { token: ws.key })).status).toBe(402);

    const disabled = await patch(ep.id, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body.data.enabled).toBe(false);
    // Reads keep working; delete is allowed.
    expect((await app.request('GET', `/api/v1/webhooks/${ep.id}`, { token: ws.key })).body.data.enabled).toBe(false);
    expect((await app.request('GET', `/api/v1/webhooks/${ep.id}/deliveries`, { token: ws.key })).status).toBe(200);
    expect((await app.request('DELETE', `/api/v1/webhooks/${ep2.id}`, { token: ws.key })).status).toBe(204);
    expect((await app.request('GET', '/api/v1/webhooks', { token: ws.key })).body.meta.total).toBe(1);

    // Reactivated: everything is allowed again.
    await app.request('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: app.adminToken, body: { subscription_status: 'active' } });
    await waitFor(async () => (await patch(ep.id, { enabled: true })).status === 200, 5_000, 'active again');
  }, 30_000);
});

describe('Webhook destination safety (e2e)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApiTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });
  afterAll(async () => app?.close());

  it.each([
    'http://127.0.0.1:8080/hook',
    'http://10.1.2.3/hook',
    'http://169.254.169.254/latest/meta-data',
    'ftp://example.com/hook',
    'http://localhost/hook',
    'http://[::1]/hook',
    'http://192.168.1.1/',
  ])('refuses %s with 400', async (url) => {
    const ws = await app.createWorkspace();
    const res = await app.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url, events: ['*'] } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });

  it('accepts a public https URL', async () => {
    const ws = await app.createWorkspace();
    const res = await app.request('POST', '/api/v1/webhooks', { token: ws.key, body: { url: 'https://hooks.example.com/x', events: ['ticket.created'] } });
    expect(res.status).toBe(201);
  });
});
