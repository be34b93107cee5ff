import { Webhook } from 'standardwebhooks';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { startReceiver, waitFor, type Receiver } from '@ledgerdesk/testing';

/**
 * API.md section 7, inbox callbacks: the inbox's callback_url gets `message.created` for every
 * public message on its tickets (the first included), signed with the inbox's callback secret,
 * and never an internal note.
 */
describe('Inbox callbacks (e2e, real Redis, local receiver)', () => {
  let app: TestApp;
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    app = await startApiTestApp({ env: { WEBHOOK_RETRY_SCHEDULE_MS: '100,200,400' } });
  });
  afterAll(async () => {
    await app?.close();
    for (const r of receivers) await r.close();
  });

  const receiver = async (respond?: Receiver['respond']) => {
    const r = await startReceiver(respond);
    receivers.push(r);
    return r;
  };

  async function createInbox(key: string, body: Record<string, unknown>) {
    const res = await app.request('POST', '/api/v1/inboxes', { token: key, body });
    expect(res.status).toBe(201);
    return { id: res.body.data.id as string, key: res.body.data.api_key.key as string, secret: res.body.data.callback_secret as string | undefined };
  }

  const intake = async (inboxKey: string, body: Record<string, unknown>) => {
    const res = await app.request('POST', '/api/v1/inbox/messages', { token: inboxKey, body });
    expect(res.status).toBe(201);
    return res.body as { ticketId: string; ticketToken: string; messageId: string };
  };

  const conversation = async (key: string, body: Record<string, unknown>) => {
    const res = await app.request('POST', '/api/v1/conversations', { token: key, body });
    expect(res.status).toBe(201);
    return res.body.data as { id: string };
  };

  it('sends message.created for every public message (intake create and reply, agent reply, merge activity), signed, in order, never a note', async () => {
    const ws = await app.createWorkspace('Callbacks');
    const cb = await receiver();
    const inbox = await createInbox(ws.key, { name: 'Website', callback_url: cb.url });
    expect(inbox.secret).toMatch(/^whsec_/);
    // A second inbox without a callback, and a ticket outside any inbox: nothing for them.
    const quiet = await createInbox(ws.key, { name: 'Quiet' });

    const first = await intake(inbox.key, { email: 'jane@example.com', name: 'Jane', subject: 'Help!', message: 'My app is broken.', externalId: 'ext-1' });
    const second = await intake(inbox.key, { email: 'jane@example.com', message: 'Still broken.', ticketToken: first.ticketToken, externalId: 'ext-2' });
    const agent = await conversation(ws.key, { ticket_id: first.ticketId, content: 'We are on it.', type: 'reply' });
    await conversation(ws.key, { ticket_id: first.ticketId, content: 'agents only: customer is VIP', type: 'note' });
    await conversation(ws.key, { ticket_id: first.ticketId, content: 'also internal', type: 'reply', internal: true });
    await intake(quiet.key, { email: 'bob@example.com', message: 'quiet inbox' });
    const outside = await app.request('POST', '/api/v1/tickets', {
      token: ws.key,
      body: { subject: 'No inbox', description: 'phone call', customer_email: 'carl@example.com' },
    });
    expect(outside.status).toBe(201);
    // Merging the outside ticket into the inbox's ticket writes a system message there.
    const merged = await app.request('POST', `/api/v1/tickets/${outside.body.data.id}/merge`, { token: ws.key, body: { into_ticket_id: first.ticketId } });
    expect(merged.status).toBe(200);

    await waitFor(() => cb.received.length >= 4, 15_000, 'four callbacks');
    await new Promise((r) => setTimeout(r, 700)); // nothing more may come

    expect(cb.received).toHaveLength(4);
    for (const got of cb.received) {
      // The reference verifier accepts it with the inbox's callback secret.
      expect(() => new Webhook(inbox.secret as string).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
      expect(got.headers['webhook-id']).toBe(got.json.id);
      expect(Object.keys(got.json).sort()).toEqual(['created_at', 'data', 'id', 'type', 'workspace_id']);
      expect(got.json).toMatchObject({ type: 'message.created', workspace_id: ws.id });
      expect(Date.parse(got.json.created_at)).not.toBeNaN();
      expect(got.json.data.inbox).toEqual({ id: inbox.id, name: 'Website' });
      expect(got.json.data.ticket).toMatchObject({ id: first.ticketId, inbox_id: inbox.id });
      expect(Object.keys(got.json.data.message).sort()).toEqual(['author_type', 'content', 'created_at', 'external_id', 'id', 'message_type']);
    }
    const messages = cb.received.map((r) => r.json.data.message);
    expect(messages.map((m) => [m.message_type, m.author_type])).toEqual([
      ['incoming', 'customer'],
      ['incoming', 'customer'],
      ['outgoing', 'agent'],
      ['activity', 'system'],
    ]);
    expect(messages[0]).toMatchObject({ id: first.messageId, content: 'My app is broken.', external_id: 'ext-1' });
    expect(messages[1]).toMatchObject({ id: second.messageId, content: 'Still broken.', external_id: 'ext-2' });
    expect(messages[2]).toMatchObject({ id: agent.id, content: 'We are on it.', external_id: null });
    expect(messages[3].content).toContain(outside.body.data.id);
    // The ticket is "as of" each message (message_count counts public messages only), and the
    // last one equals what the API shows now.
    expect(cb.received.map((r) => r.json.data.ticket.message_count)).toEqual([1, 2, 3, 4]);
    const now = await app.request('GET', `/api/v1/tickets/${first.ticketId}`, { token: ws.key });
    expect(now.body.data.message_count).toBe(4);
    expect(cb.received.map((r) => r.body).join('\n')).not.toContain('agents only');
    expect(cb.received.map((r) => r.body).join('\n')).not.toContain('also internal');
  }, 40_000);

  it('retries a failing callback with the same webhook-id and keeps the ticket order', async () => {
    const ws = await app.createWorkspace('Flaky callbacks');
    let failures = 0;
    const cb = await receiver((_n, req) => (req.json.data.message.content === 'one' && ++failures <= 2 ? 500 : 200));
    const inbox = await createInbox(ws.key, { name: 'Flaky', callback_url: cb.url });
    const t = await intake(inbox.key, { email: 'x@example.com', message: 'one' });
    await intake(inbox.key, { email: 'x@example.com', message: 'two', ticketToken: t.ticketToken });
    await waitFor(() => cb.received.length >= 4, 15_000, 'retries then the second message');
    expect(cb.received.map((r) => r.json.data.message.content)).toEqual(['one', 'one', 'one', 'two']);
    expect(new Set(cb.received.slice(0, 3).map((r) => r.headers['webhook-id'])).size).toBe(1);
    for (const got of cb.received) expect(() => new Webhook(inbox.secret as string).verify(got.body, got.headers as Record<string, string>)).not.toThrow();
  }, 30_000);

  it('a callback_url set later by PATCH starts with the next message, signed with the secret that PATCH returned', async () => {
    const ws = await app.createWorkspace('Late callback');
    const cb = await receiver();
    const inbox = await createInbox(ws.key, { name: 'Later' });
    const t = await intake(inbox.key, { email: 'y@example.com', message: 'before the callback' });
    const patched = await app.request('PATCH', `/api/v1/inboxes/${inbox.id}`, { token: ws.key, body: { callback_url: cb.url } });
    expect(patched.status).toBe(200);
    const secret = patched.body.data.callback_secret as string;
    expect(secret).toMatch(/^whsec_/);
    await intake(inbox.key, { email: 'y@example.com', message: 'after the callback', ticketToken: t.ticketToken });
    await waitFor(() => cb.received.length >= 1, 10_000, 'callback');
    await new Promise((r) => setTimeout(r, 500));
    expect(cb.received.map((r) => r.json.data.message.content)).toEqual(['after the callback']);
    expect(() => new Webhook(secret).verify(cb.received[0].body, cb.received[0].headers as Record<string, string>)).not.toThrow();
  }, 30_000);
});
