import { CommandBus } from '@nestjs/cqrs';
import { systemContext } from '@ledgerdesk/shared';
import { EditMessageCommand, type EditMessageResult } from '@ledgerdesk/tickets';
import { waitFor, type TestApp } from '@ledgerdesk/testing';
import { startDeliveriesTestBed, type DeliveriesTestBed } from '../support/api-test-app';
import { createTicket, createUser, expectNothingWritten, UNKNOWN_ID } from './helpers-resources';

/**
 * API.md section 8 (the API channel's three calls), section 4's reopen rule and section 7's
 * inbox callback additions, over HTTP.
 */
describe('API channel: conversations and messages (e2e)', () => {
  let bed: DeliveriesTestBed;
  let app: TestApp;

  beforeAll(async () => {
    bed = await startDeliveriesTestBed();
    app = bed.app;
  });
  afterAll(async () => {
    await bed?.close();
  });

  const post = async (key: string, path: string, body: unknown, status = 201) => {
    const res = await app.request('POST', `/api/v1${path}`, { token: key, body });
    expect({ path, status: res.status, body: res.status === status ? undefined : res.body }).toEqual({ path, status, body: undefined });
    return res.body;
  };

  async function createInbox(key: string, body: Record<string, unknown> = {}) {
    const data = (await post(key, '/inboxes', { name: 'API Channel', ...body })).data;
    return { id: data.id as string, key: data.api_key.key as string, secret: data.callback_secret as string | undefined };
  }

  /** Call 1: a contact on the inbox; its contact_inboxes hold the session's source_id. */
  async function createContact(key: string, inboxId: string, body: Record<string, unknown> = {}) {
    const data = (await post(key, '/customers', { name: 'Contact', inbox_id: inboxId, ...body })).data;
    const session = data.contact_inboxes.find((c: { inbox_id: string }) => c.inbox_id === inboxId);
    return { id: data.id as string, sourceId: session.source_id as string };
  }

  const status = async (key: string, ticketId: string) => (await app.request('GET', `/api/v1/tickets/${ticketId}`, { token: key })).body.data.status;
  const setStatus = async (key: string, ticketId: string, to: string) =>
    expect((await app.request('PATCH', `/api/v1/tickets/${ticketId}`, { token: key, body: { status: to } })).status).toBe(200);
  const eventTypes = async (key: string, ticketId: string) =>
    ((await app.request('GET', `/api/v1/tickets/${ticketId}/events`, { token: key })).body.data as Array<{ type: string }>).map((e) => e.type);

  it("runs the seed's three calls: contact, conversation, incoming message", async () => {
    const ws = await app.createWorkspace('Acme Support');
    const inbox = await createInbox(ws.key);

    // 1. Create a contact: the answer's contact_inboxes holds the session's source_id.
    const contact = await createContact(ws.key, inbox.id);
    expect(contact.sourceId).toMatch(/^lds_[A-Za-z0-9]{32}$/);

    // 2. Create a conversation with that source_id: the ticket gets the session's customer and inbox.
    const conversation = (await post(ws.key, '/tickets', { source_id: contact.sourceId })).data;
    expect(conversation).toMatchObject({
      subject: 'Conversation',
      source: 'channel',
      status: 'new',
      inbox_id: inbox.id,
      customer_id: contact.id,
      customer: { id: contact.id, name: 'Contact' },
      message_count: 0,
    });
    const shown = await app.request('GET', `/api/v1/tickets/${conversation.id}`, { token: ws.key });
    expect(shown.body.data).toMatchObject({ id: conversation.id, message_count: 0, messages: [] });

    // 3. Create a message in it: incoming, answered with the seed's fields.
    const message = (
      await post(ws.key, `/tickets/${conversation.id}/messages`, { body: 'This is an incoming message from API Channel', message_type: 'incoming' })
    ).data;
    expect(message).toEqual({
      id: expect.any(String),
      author_type: 'customer',
      author_id: contact.id,
      body: 'This is an incoming message from API Channel',
      content: 'This is an incoming message from API Channel',
      message_type: 'incoming',
      content_type: 'text',
      content_attributes: {},
      private: false,
      conversation_id: conversation.id,
      inbox_id: inbox.id,
      sender: { id: contact.id, name: 'Contact', type: 'contact' },
      echo_id: null,
      edited_at: null,
      created_at: expect.any(String),
    });
    const after = await app.request('GET', `/api/v1/tickets/${conversation.id}`, { token: ws.key });
    expect(after.body.data.message_count).toBe(1);
    expect(after.body.data.messages.map((m: { id: string }) => m.id)).toEqual([message.id]);
  });

  it("takes the seed's content as the message's body, and refuses both or neither", async () => {
    const ws = await app.createWorkspace();
    const inbox = await createInbox(ws.key);
    const contact = await createContact(ws.key, inbox.id);
    const conversation = (await post(ws.key, '/tickets', { source_id: contact.sourceId })).data;
    const path = `/api/v1/tickets/${conversation.id}/messages`;
    const sent = await app.request('POST', path, { token: ws.key, body: { content: 'Sent as content', message_type: 'incoming' } });
    expect(sent.status).toBe(201);
    expect(sent.body.data).toMatchObject({ body: 'Sent as content', content: 'Sent as content', message_type: 'incoming' });
    const both = await app.request('POST', path, { token: ws.key, body: { content: 'a', body: 'b' } });
    expect(both.status).toBe(400);
    expect(both.body.error.details).toHaveProperty('body');
    const neither = await app.request('POST', path, { token: ws.key, body: { message_type: 'incoming' } });
    expect(neither.status).toBe(400);
    expect(neither.body.error.details).toHaveProperty('body');
    const shown = await app.request('GET', `/api/v1/tickets/${conversation.id}`, { token: ws.key });
    expect(shown.body.data.message_count).toBe(1);
  });

  it('creates a conversation with a description as its first message, the subject from its first 80 characters', async () => {
    const ws = await app.createWorkspace();
    const inbox = await createInbox(ws.key);
    const contact = await createContact(ws.key, inbox.id);
    const description = `${'é'.repeat(79)}xyz and more`;
    const ticket = (await post(ws.key, '/tickets', { source_id: contact.sourceId, description })).data;
    expect(ticket).toMatchObject({ subject: `${'é'.repeat(79)}x`, description, message_count: 1, source: 'channel' });
    const named = (await post(ws.key, '/tickets', { source_id: contact.sourceId, subject: 'Order 42', priority: 'high' })).data;
    expect(named).toMatchObject({ subject: 'Order 42', priority: 'high', message_count: 0 });
  });

  it('answers an outgoing message with the agent, or the workspace, as its sender', async () => {
    const ws = await app.createWorkspace('Acme Support');
    const inbox = await createInbox(ws.key);
    const contact = await createContact(ws.key, inbox.id);
    const ticket = (await post(ws.key, '/tickets', { source_id: contact.sourceId, description: 'Hello?' })).data;
    const agent = await createUser(app, ws.key, { name: 'Ann Agent' });

    const anonymous = (await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Hi, how can we help?', message_type: 'outgoing' })).data;
    expect(anonymous).toEqual({
      id: expect.any(String),
      author_type: 'agent',
      author_id: null,
      body: 'Hi, how can we help?',
      content: 'Hi, how can we help?',
      message_type: 'outgoing',
      content_type: 'text',
      content_attributes: {},
      private: false,
      conversation_id: ticket.id,
      inbox_id: inbox.id,
      sender: { id: null, name: 'Acme Support', type: 'user' },
      echo_id: null,
      edited_at: null,
      created_at: expect.any(String),
    });
    const signed = (await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Ann here.', message_type: 'outgoing', author_id: agent.id })).data;
    expect(signed).toMatchObject({
      author_type: 'agent',
      author_id: agent.id,
      message_type: 'outgoing',
      sender: { id: agent.id, name: 'Ann Agent', type: 'user' },
    });

    // The ticket shows them as agent messages.
    const shown = (await app.request('GET', `/api/v1/tickets/${ticket.id}`, { token: ws.key })).body.data;
    expect(shown.messages.map((m: { author_type: string }) => m.author_type)).toEqual(['customer', 'agent', 'agent']);
  });

  it('refuses a bad source_id, author_id or message_type with a 400 naming the field, writing nothing', async () => {
    const ws = await app.createWorkspace();
    const other = await app.createWorkspace();
    const inbox = await createInbox(ws.key);
    const otherInbox = await createInbox(other.key);
    const foreign = await createContact(other.key, otherInbox.id);
    const contact = await createContact(ws.key, inbox.id);
    const ticket = createTicket(app, ws.key);
    const { id: ticketId } = await ticket;
    const foreignUser = await createUser(app, other.key);

    const tickets = (body: unknown) => () => app.request('POST', '/api/v1/tickets', { token: ws.key, body });
    const messages = (body: unknown) => () => app.request('POST', `/api/v1/tickets/${ticketId}/messages`, { token: ws.key, body });
    const fieldOf = (res: { body: { error: { details: Record<string, unknown> } } }) => Object.keys(res.body.error.details);

    // Unknown, malformed and another workspace's source_id: the same 400.
    const unknown = await expectNothingWritten(app, tickets({ source_id: `lds_${'A'.repeat(32)}` }));
    const hidden = await expectNothingWritten(app, tickets({ source_id: foreign.sourceId }));
    expect(hidden.body).toEqual(unknown.body);
    expect(fieldOf(unknown)).toEqual(['source_id']);
    expect(fieldOf(await expectNothingWritten(app, tickets({ source_id: 'not-a-session' })))).toEqual(['source_id']);
    expect(fieldOf(await expectNothingWritten(app, tickets({ source_id: 42 })))).toContain('source_id');
    // Either the customer's email or the session, never both; without either, the usual required fields.
    expect(fieldOf(await expectNothingWritten(app, tickets({ source_id: contact.sourceId, customer_email: 'x@example.com' })))).toContain('source_id');
    expect(fieldOf(await expectNothingWritten(app, tickets({ subject: 'S', description: 'D' })))).toContain('customer_email');
    expect(fieldOf(await expectNothingWritten(app, tickets({ customer_email: 'x@example.com' })))).toEqual(expect.arrayContaining(['subject', 'description']));
    expect(fieldOf(await expectNothingWritten(app, tickets({ source_id: contact.sourceId, inbox_id: otherInbox.id })))).toContain('inbox_id');

    expect(fieldOf(await expectNothingWritten(app, messages({ body: 'x', message_type: 'sideways' })))).toContain('message_type');
    expect(fieldOf(await expectNothingWritten(app, messages({ body: 'x', message_type: 'outgoing', author_id: foreignUser.id })))).toEqual(['author_id']);
    expect(fieldOf(await expectNothingWritten(app, messages({ body: 'x', message_type: 'outgoing', author_id: UNKNOWN_ID })))).toEqual(['author_id']);
    expect(fieldOf(await expectNothingWritten(app, messages({ body: 'x', author_id: UNKNOWN_ID })))).toContain('author_id');
    // The ticket is a path parameter: an unknown one is a 404.
    const missing = await app.request('POST', `/api/v1/tickets/${UNKNOWN_ID}/messages`, { token: ws.key, body: { body: 'x', message_type: 'outgoing' } });
    expect(missing.status).toBe(404);
  });

  it('reopens a pending or solved ticket on a customer message, as its own event; agent messages and notes never do', async () => {
    const ws = await app.createWorkspace();
    const inbox = await createInbox(ws.key);
    const contact = await createContact(ws.key, inbox.id);
    const ticket = (await post(ws.key, '/tickets', { source_id: contact.sourceId, description: 'Help' })).data;

    for (const from of ['pending', 'solved']) {
      await setStatus(ws.key, ticket.id, from);
      // Agent replies (both ways in) and internal notes leave the status alone.
      await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Any luck?', message_type: 'outgoing' });
      await post(ws.key, '/conversations', { ticket_id: ticket.id, content: 'A reply', type: 'reply' });
      await post(ws.key, '/conversations', { ticket_id: ticket.id, content: 'A note', type: 'note' });
      expect(await status(ws.key, ticket.id)).toBe(from);

      await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Still broken' });
      expect(await status(ws.key, ticket.id)).toBe('open');
      const types = await eventTypes(ws.key, ticket.id);
      expect(types.slice(-2)).toEqual(['MessageAppended', 'TicketReopened']);
      const events = (await app.request('GET', `/api/v1/tickets/${ticket.id}/events`, { token: ws.key })).body.data;
      expect(events[events.length - 1].data).toEqual({ ticket_id: ticket.id, status: 'open', previous_status: from });
    }

    // An open or on-hold ticket stays as it is.
    await setStatus(ws.key, ticket.id, 'on_hold');
    await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Hello?' });
    expect(await status(ws.key, ticket.id)).toBe('on_hold');
  });

  it('reopens a solved ticket on an intake reply', async () => {
    const ws = await app.createWorkspace();
    const inbox = await createInbox(ws.key);
    const created = await app.request('POST', '/api/v1/inbox/messages', { token: inbox.key, body: { email: 'jo@example.com', message: 'Broken' } });
    expect(created.status).toBe(201);
    await setStatus(ws.key, created.body.ticketId, 'solved');
    const reply = await app.request('POST', '/api/v1/inbox/messages', {
      token: inbox.key,
      body: { email: 'jo@example.com', message: 'Broken again', ticketToken: created.body.ticketToken },
    });
    expect(reply.status).toBe(201);
    expect(await status(ws.key, created.body.ticketId)).toBe('open');
    expect((await eventTypes(ws.key, created.body.ticketId)).slice(-2)).toEqual(['MessageAppended', 'TicketReopened']);
  });

  it('sends the inbox callback sender, conversation and source_id for every message, and message.updated for an edit', async () => {
    const ws = await app.createWorkspace('Acme Support');
    const cb = await bed.receiver();
    const inbox = await createInbox(ws.key, { callback_url: cb.url });
    const contact = await createContact(ws.key, inbox.id, { name: 'Jane' });
    const ticket = (await post(ws.key, '/tickets', { source_id: contact.sourceId })).data;
    const incoming = (await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Hi there' })).data;
    const outgoing = (await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Hello Jane', message_type: 'outgoing' })).data;
    // A ticket of the same inbox that is not a channel conversation: source_id null.
    const plain = await createTicket(app, ws.key, { inbox_id: inbox.id, customer_email: 'bob@example.com', customer_name: 'Bob' });
    // An agent reply through POST /conversations is sent under its author's name.
    const agent = await createUser(app, ws.key, { name: 'Ann Agent' });
    await post(ws.key, '/conversations', { ticket_id: plain.id, content: 'Hi Bob', type: 'reply', author_id: agent.id });

    const edit: EditMessageResult = await app.app.get(CommandBus).execute(
      new EditMessageCommand({
        workspaceId: ws.id,
        ticketId: ticket.id,
        messageId: incoming.id,
        body: 'Hi there, edited',
        editorCustomerId: contact.id,
        context: systemContext(ws.id),
      }),
    );
    expect(edit.message).toMatchObject({
      id: incoming.id,
      content: 'Hi there, edited',
      edited_at: expect.any(String),
      sender: { id: contact.id, type: 'contact' },
    });

    await waitFor(() => cb.received.length >= 5, 15_000, 'five callbacks');
    await new Promise((r) => setTimeout(r, 500)); // nothing more may come
    expect(cb.received).toHaveLength(5);
    // Per ticket in event order; the two tickets' callbacks may interleave.
    const ofTicket = (id: string) => cb.received.map((r) => r.json).filter((j) => j.data.ticket.id === id);
    const [first, second, fourth] = ofTicket(ticket.id);
    const [third, reply] = ofTicket(plain.id);
    const conversation = { id: ticket.id, inbox_id: inbox.id, channel: 'api' };

    expect(first).toMatchObject({ type: 'message.created', data: { message: { id: incoming.id, content: 'Hi there', message_type: 'incoming' } } });
    expect(first.data.sender).toEqual({ id: contact.id, name: 'Jane', type: 'contact' });
    expect(first.data.conversation).toEqual({ ...conversation, status: 'new' });
    expect(first.data.source_id).toBe(contact.sourceId);

    expect(second).toMatchObject({ type: 'message.created', data: { message: { id: outgoing.id, message_type: 'outgoing' } } });
    expect(second.data.sender).toEqual({ id: null, name: 'Acme Support', type: 'user' });
    expect(second.data.source_id).toBe(contact.sourceId);

    expect(third.data.message.content).toBe('Redirect loop');
    expect(third.data.sender).toEqual({ id: plain.customer_id, name: 'Bob', type: 'contact' });
    expect(third.data.conversation).toEqual({ id: plain.id, inbox_id: inbox.id, status: 'new', channel: 'api' });
    expect(third.data.source_id).toBeNull();

    expect(reply).toMatchObject({ type: 'message.created', data: { message: { content: 'Hi Bob', message_type: 'outgoing' }, source_id: null } });
    expect(reply.data.sender).toEqual({ id: agent.id, name: 'Ann Agent', type: 'user' });

    expect(fourth).toMatchObject({ type: 'message.updated', data: { message: { id: incoming.id, content: 'Hi there, edited', message_type: 'incoming' } } });
    expect(fourth.data.sender).toEqual({ id: contact.id, name: 'Jane', type: 'contact' });
    expect(fourth.data.conversation).toEqual({ ...conversation, status: 'new' });
    expect(fourth.data.source_id).toBe(contact.sourceId);
    // The message keys stay those of section 7.
    for (const got of cb.received)
      expect(Object.keys(got.json.data.message).sort()).toEqual(['author_type', 'content', 'created_at', 'external_id', 'id', 'message_type']);
  }, 40_000);

  it('posts a Slack root for a conversation without a first message, threads its messages, and sends a reopening as ticket.updated', async () => {
    const ws = await app.createWorkspace();
    const hook = await bed.receiver();
    await post(ws.key, '/webhooks', { url: hook.url, events: ['ticket.updated', 'ticket.message.created'] });
    const put = await app.request('PUT', '/api/v1/integrations/slack', {
      token: ws.key,
      body: { bot_token: 'xoxb-channel-test', default_channel_id: 'CCHAN01' },
    });
    expect(put.status).toBe(200);
    const inbox = await createInbox(ws.key);
    const contact = await createContact(ws.key, inbox.id, { name: 'Jane' });
    const ticket = (await post(ws.key, '/tickets', { source_id: contact.sourceId, subject: 'Chat' })).data;
    await setStatus(ws.key, ticket.id, 'solved');
    await post(ws.key, `/tickets/${ticket.id}/messages`, { body: 'Back again' });

    const mine = () => bed.slack.posts.filter((p) => p.channel === 'CCHAN01');
    await waitFor(() => mine().length >= 2 && hook.received.length >= 3, 15_000, 'the Slack root and reply, and three webhooks');
    const [root, reply] = mine();
    expect(root.thread_ts).toBeUndefined();
    expect(root.text).toBe(`*#${ticket.ticket_number} Chat*\nCustomer: Jane\nPriority: medium`);
    expect(reply).toMatchObject({ thread_ts: root.ts, text: '*Customer:* Back again' });
    // The status change, the message, then the reopening: a ticket.updated like any status change.
    const types = hook.received.map((r) => r.json.type);
    expect(types).toEqual(['ticket.updated', 'ticket.message.created', 'ticket.updated']);
    expect(hook.received.map((r) => r.json.data.ticket.status)).toEqual(['solved', 'solved', 'open']);
  }, 40_000);
});
