import { Webhook } from 'standardwebhooks';
import { startFakeSlack, startReceiver, waitFor, type Receiver, type TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

const PERSONAL = ['erin.erasable@example.com', 'Erin Erasable', 'Erasable Ltd'];
const PHONE = '+44-1234';

/**
 * Issue 19, "erasure leaks": after DELETE /customers/{id}, webhooks and inbox callbacks never
 * carry the customer's email, name or company again, as the tickets read model shows it (API.md
 * section 6): neither for events after the erasure nor for deliveries of earlier events that are
 * attempted after it (retries).
 */
describe('erasure reaches deliveries: webhooks and callbacks after DELETE /customers/{id}', () => {
  let app: TestApp;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  let slackUp = true;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    slack = await startFakeSlack((_, post) => (slackUp || post.channel !== 'C0ERASE' ? { ok: true } : { ok: false, error: 'internal_error' }));
    // Room for many retries: the second test keeps its deliveries failing until the erasure.
    app = await startApiTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_MS: Array(40).fill(150).join(','), SLACK_API_URL: slack.url } });
  });
  afterAll(async () => {
    await app?.close();
    await slack?.close();
    for (const r of receivers) await r.close();
  });

  const receiver = async (respond?: Receiver['respond']) => {
    const r = await startReceiver(respond);
    receivers.push(r);
    return r;
  };

  /** A workspace with an endpoint, an inbox with a callback (and maybe Slack), a customer and a ticket of theirs. */
  async function setUp(name: string, options: { respond?: Receiver['respond']; slackChannel?: string } = {}) {
    const ws = await app.createWorkspace(name);
    const hook = await receiver(options.respond);
    const callbacks = await receiver(options.respond);
    const endpoint = await app.request('POST', '/api/v1/webhooks', {
      token: ws.key,
      body: { url: hook.url, events: ['ticket.created', 'ticket.message.created', 'ticket.updated', 'customer.created'] },
    });
    expect(endpoint.status).toBe(201);
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Website', callback_url: callbacks.url } });
    expect(inbox.status).toBe(201);
    if (options.slackChannel) {
      const put = await app.request('PUT', '/api/v1/integrations/slack', {
        token: ws.key,
        body: { bot_token: 'xoxb-erasure-test', default_channel_id: options.slackChannel },
      });
      expect(put.status).toBe(200);
    }
    const customer = await app.request('POST', '/api/v1/customers', {
      token: ws.key,
      body: { email: PERSONAL[0], name: PERSONAL[1], company: PERSONAL[2], phone: PHONE },
    });
    expect(customer.status).toBe(201);
    const intake = await app.request('POST', '/api/v1/inbox/messages', {
      token: inbox.body.data.api_key.key,
      body: { email: PERSONAL[0], name: PERSONAL[1], subject: 'Where is my order?', message: 'It has not arrived.' },
    });
    expect(intake.status).toBe(201);
    return {
      ws,
      hook,
      callbacks,
      ticketId: intake.body.ticketId as string,
      customerId: customer.body.data.id as string,
      endpointId: endpoint.body.data.id as string,
      webhookSecret: endpoint.body.data.secret as string,
      callbackSecret: inbox.body.data.callback_secret as string,
    };
  }

  const erased = (id: string) => ({ id, name: null, email: null, company: null, erased: true });
  const expectNoPersonalData = (bodies: string[]) => {
    for (const body of bodies) for (const value of [...PERSONAL, PHONE]) expect({ body, leaks: body.includes(value) }).toMatchObject({ leaks: false });
  };

  it('events after the erasure carry the erased customer, as the tickets read model does', async () => {
    const s = await setUp('After');
    await waitFor(() => s.hook.received.length >= 2 && s.callbacks.received.length >= 1, 15_000, 'the deliveries before the erasure');
    // Before the erasure the ticket shows its customer (nothing to hide yet).
    const before = s.hook.received.find((r) => r.json.type === 'ticket.created');
    expect(before?.json.data.ticket.customer).toMatchObject({ id: s.customerId, email: PERSONAL[0] });

    expect((await app.request('DELETE', `/api/v1/customers/${s.customerId}`, { token: s.ws.key })).status).toBe(204);
    const hookBefore = s.hook.received.length;
    const callbacksBefore = s.callbacks.received.length;
    const reply = await app.request('POST', '/api/v1/conversations', {
      token: s.ws.key,
      body: { ticket_id: s.ticketId, content: 'It ships today.', type: 'reply' },
    });
    expect(reply.status).toBe(201);
    const update = await app.request('PATCH', `/api/v1/tickets/${s.ticketId}`, { token: s.ws.key, body: { priority: 'high' } });
    expect(update.status).toBe(200);

    await waitFor(
      () => s.hook.received.length >= hookBefore + 2 && s.callbacks.received.length >= callbacksBefore + 1,
      15_000,
      'the deliveries after the erasure',
    );
    const after = [...s.hook.received.slice(hookBefore), ...s.callbacks.received.slice(callbacksBefore)];
    expect(after.map((r) => r.json.type).sort()).toEqual(['message.created', 'ticket.message.created', 'ticket.updated']);
    for (const got of after) expect(got.json.data.ticket.customer).toEqual(erased(s.customerId));
    expectNoPersonalData(after.map((r) => r.body));
    // The same placeholder as the read model.
    const ticket = await app.request('GET', `/api/v1/tickets/${s.ticketId}`, { token: s.ws.key });
    expect(ticket.body.data.customer).toEqual(erased(s.customerId));
    for (const got of s.hook.received) expect(() => new Webhook(s.webhookSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    for (const got of s.callbacks.received) expect(() => new Webhook(s.callbackSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
  }, 40_000);

  it('deliveries of earlier events attempted after the erasure (retries) carry no personal data either', async () => {
    // Destinations that fail until the customer is erased: every success is an attempt after it.
    let erasedAt = Infinity;
    slackUp = false;
    const s = await setUp('Retries', { respond: (_, got) => (got.at >= erasedAt ? 200 : 503), slackChannel: 'C0ERASE' });
    await waitFor(
      () => s.hook.received.length >= 2 && s.callbacks.received.length >= 1 && slack.calls.some((c) => c.channel === 'C0ERASE'),
      15_000,
      'first failed attempts',
    );

    expect((await app.request('DELETE', `/api/v1/customers/${s.customerId}`, { token: s.ws.key })).status).toBe(204);
    // An attempt that checked before the erasure committed is on the wire within milliseconds.
    await new Promise((r) => setTimeout(r, 100));
    erasedAt = Date.now();
    slackUp = true;

    await waitFor(
      async () => {
        const deliveries = await app.request('GET', `/api/v1/webhooks/${s.endpointId}/deliveries`, { token: s.ws.key });
        return deliveries.body.data.length >= 2 && deliveries.body.data.every((d: { status: string }) => d.status === 'succeeded');
      },
      15_000,
      'the webhook retries to succeed',
    );
    await waitFor(
      () => s.callbacks.received.some((r) => r.at >= erasedAt) && slack.posts.some((p) => p.channel === 'C0ERASE'),
      15_000,
      'the callback and Slack retries',
    );

    const late = [...s.hook.received, ...s.callbacks.received].filter((r) => r.at >= erasedAt);
    expect(late.map((r) => r.json.type).sort()).toEqual(['customer.created', 'message.created', 'ticket.created']);
    expectNoPersonalData(late.map((r) => r.body));
    for (const got of late) {
      if (got.json.data.ticket) expect(got.json.data.ticket.customer).toEqual(erased(s.customerId));
      if (got.json.data.customer)
        expect(got.json.data.customer).toMatchObject({ id: s.customerId, email: null, name: null, company: null, phone: null, erased: true });
    }
    // Still signed, with the same webhook-id as the failed attempts of the same event.
    for (const got of [...s.hook.received]) expect(() => new Webhook(s.webhookSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    for (const got of [...s.callbacks.received])
      expect(() => new Webhook(s.callbackSecret).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
    expect(new Set(s.hook.received.map((r) => r.headers['webhook-id'])).size).toBe(2);

    // The Slack root post of the ticket, retried after the erasure, names no customer either.
    const root = slack.posts.filter((p) => p.channel === 'C0ERASE');
    expect(root).toHaveLength(1);
    expect(root[0].text).toContain('Where is my order?');
    expectNoPersonalData([root[0].text]);
  }, 40_000);
});
