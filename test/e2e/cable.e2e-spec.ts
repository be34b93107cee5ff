import http from 'node:http';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { CableClient, type Frame } from './cable-client';

/** GET /cable (API.md section 10) with real WebSocket clients. */
describe('real time over WebSocket (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string; keyId: string };
  const clients: CableClient[] = [];

  const api = (method: string, path: string, body?: unknown, token = ws.key) => app.request(method, `/api/v1${path}`, { token, body });
  const cable = async (subscribe: Record<string, unknown>) => {
    const client = await CableClient.subscribe(app.baseUrl, subscribe);
    clients.push(client);
    return client;
  };
  const newTicket = async (key = ws.key, body: Record<string, unknown> = {}) => {
    const res = await api('POST', '/tickets', { subject: 'Help', description: 'First message', customer_email: `c${Math.random()}@example.com`, ...body }, key);
    expect(res.status).toBe(201);
    return res.body.data as { id: string };
  };
  const reply = async (ticketId: string, body: string, key = ws.key) => {
    const res = await api('POST', `/tickets/${ticketId}/messages`, { body, message_type: 'outgoing' }, key);
    expect(res.status).toBe(201);
    return res.body.data as { id: string };
  };
  const note = async (ticketId: string, content: string) => {
    const res = await api('POST', '/conversations', { ticket_id: ticketId, content, type: 'note' });
    expect(res.status).toBe(201);
  };
  const inboxAndClient = async (key = ws.key) => {
    const inbox = await api('POST', '/inboxes', { name: 'Chat' }, key);
    expect(inbox.status).toBe(201);
    const pub = (method: string, path: string, body?: unknown) =>
      app.request(method, `/public/api/v1/inboxes/${inbox.body.data.public_identifier as string}${path}`, { body });
    return { inboxId: inbox.body.data.id as string, pub };
  };
  const newContact = async (pub: Awaited<ReturnType<typeof inboxAndClient>>['pub']) => {
    const res = await pub('POST', '/contacts', { name: 'Jane' });
    expect(res.status).toBe(201);
    return res.body.data as { source_id: string; pubsub_token: string; id: string };
  };
  /** Name and message body of each event frame: what a client shows. */
  const summary = (frames: Frame[]) => frames.map((f) => `${f.event}:${f.data?.message?.body ?? f.data?.content ?? f.data?.status ?? ''}`);

  beforeAll(async () => {
    app = await startApiTestApp({
      env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '10000', RATE_LIMIT_CONTACT_PER_MINUTE: '10000', RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' },
    });
    ws = await app.createWorkspace('Cable');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('staff get their workspace live, under the webhook names, internal notes included, with positions in log order', async () => {
    const staff = await cable({ api_key: ws.key });
    const subscribed = staff.frames[0];
    expect(subscribed).toEqual({ type: 'subscribed', position: expect.any(Number) });
    const ticket = await newTicket();
    await reply(ticket.id, 'We are on it');
    await note(ticket.id, 'Customer is a VIP');
    await staff.waitForEvents(4);
    // The ticket's new customer (by email) comes first: customer events are the workspace's too.
    expect(staff.events[0]).toEqual(
      expect.objectContaining({ event: 'customer.created', data: { customer: expect.objectContaining({ email: expect.any(String) }) } }),
    );
    const events = staff.events.slice(1);
    expect(events.map((e) => e.event)).toEqual(['ticket.created', 'ticket.message.created', 'ticket.message.created']);
    // Announced once, with its first message counted (as the ticket.created webhook).
    expect(events[0].data).toEqual({ ticket: expect.objectContaining({ id: ticket.id, message_count: 1 }) });
    expect(events[1].data).toEqual({
      ticket: expect.objectContaining({ id: ticket.id }),
      message: expect.objectContaining({ body: 'We are on it', internal: false }),
    });
    expect(events[2].data.message).toEqual(expect.objectContaining({ body: 'Customer is a VIP', internal: true }));
    const positions = events.map((e) => e.position as number);
    expect(positions[0]).toBeGreaterThan(subscribed.position);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(new Set(positions).size).toBe(3);
  });

  it('resume after a disconnect: exactly the events written meanwhile, in order, none twice', async () => {
    const ticket = await newTicket();
    const first = await cable({ api_key: ws.key });
    await reply(ticket.id, 'one');
    await first.waitForEvents(1);
    const last = first.lastPosition;
    await first.close();
    // Written while nobody listens.
    await reply(ticket.id, 'two');
    await note(ticket.id, 'three (internal)');
    expect((await api('PATCH', `/tickets/${ticket.id}`, { status: 'pending' })).status).toBe(200);
    await reply(ticket.id, 'four');

    const again = await cable({ api_key: ws.key, after: last });
    await reply(ticket.id, 'five (live)');
    const events = await again.waitForEvents(5);
    await new Promise((r) => setTimeout(r, 300)); // nothing more may arrive
    expect(summary(again.events)).toEqual([
      'ticket.message.created:two',
      'ticket.message.created:three (internal)',
      'ticket.updated:',
      'ticket.message.created:four',
      'ticket.message.created:five (live)',
    ]);
    expect(events.every((e) => e.position > last)).toBe(true);
    expect(events[2].data.ticket.status).toBe('pending');
  });

  it('resume while writes go on: every position of the workspace exactly once, in order, across the replay-to-live hand-over', async () => {
    const ticket = await newTicket();
    const start = (await app.infrastructure.eventStore.headPosition()) as number;
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing && i < 60; i++) await reply(ticket.id, `w${i}`);
    })();
    await new Promise((r) => setTimeout(r, 150));
    const client = await cable({ api_key: ws.key, after: start });
    await new Promise((r) => setTimeout(r, 300));
    writing = false;
    await writes;
    const head = await app.infrastructure.eventStore.headPosition();
    const expected = (await app.infrastructure.eventStore.readAll({ afterPosition: start, maxCount: 10_000 }))
      .filter((e) => e.position <= head && e.metadata.workspace_id === ws.id && e.type === 'MessageAppended')
      .map((e) => e.position);
    await client.waitFor(() => client.lastPosition >= head, 10_000, 'the head');
    expect(client.events.map((e) => e.position)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(3);
  });

  it('workspaces are isolated: another workspace sees nothing of this one', async () => {
    const other = await app.createWorkspace('Other');
    const theirs = await cable({ api_key: other.key });
    const ours = await cable({ api_key: ws.key });
    await newTicket(ws.key);
    const mine = await newTicket(other.key);
    await ours.waitForEvents(2);
    await theirs.waitForEvents(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(theirs.events.map((e) => e.event)).toEqual(['customer.created', 'ticket.created']);
    expect(theirs.events[1].data.ticket.id).toBe(mine.id);
    // Resume from 0 too: only their own events.
    const replay = await cable({ api_key: other.key, after: 0 });
    await replay.waitForEvents(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(replay.events).toEqual(theirs.events);
  });

  it('contacts get their public messages and status, never an internal note nor another session’s conversation', async () => {
    const { pub } = await inboxAndClient();
    const jane = await newContact(pub);
    const john = await newContact(pub);
    const janeCable = await cable({ pubsub_token: jane.pubsub_token });
    const johnCable = await cable({ pubsub_token: john.pubsub_token });
    expect(janeCable.frames[0].type).toBe('subscribed');

    const conv = await pub('POST', `/contacts/${jane.source_id}/conversations`, { message: { content: 'Hi, my order?', echo_id: 'e1' } });
    expect(conv.status).toBe(201);
    const ticketId = conv.body.data.id as string;
    await note(ticketId, 'internal: refund fraud check');
    await reply(ticketId, 'It ships today');
    expect((await api('PATCH', `/tickets/${ticketId}`, { status: 'solved' })).status).toBe(200);

    const events = await janeCable.waitForEvents(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(janeCable.events.map((e) => e.event)).toEqual(['conversation.created', 'message.created', 'message.created', 'conversation.status_changed']);
    expect(events[0].data).toEqual({
      id: ticketId,
      inbox_id: expect.any(String),
      status: expect.any(String),
      created_at: expect.any(String),
      last_activity_at: expect.any(String),
    });
    expect(events[1].data).toEqual(
      expect.objectContaining({
        content: 'Hi, my order?',
        message_type: 'incoming',
        echo_id: 'e1',
        private: false,
        conversation_id: ticketId,
        sender: expect.objectContaining({ type: 'contact' }),
      }),
    );
    expect(events[2].data).toEqual(
      expect.objectContaining({ content: 'It ships today', message_type: 'outgoing', sender: expect.objectContaining({ type: 'user', name: 'Cable' }) }),
    );
    expect(events[3].data.status).toBe('solved');
    expect(JSON.stringify(janeCable.frames)).not.toContain('refund fraud');
    expect(johnCable.events).toEqual([]);

    // One frame per log position, so a client that keeps the last position it saw misses
    // nothing: resuming right after the conversation's creation gives its first message.
    const positions = events.map((e) => e.position as number);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
    const afterCreated = await cable({ pubsub_token: jane.pubsub_token, after: positions[0] });
    await afterCreated.waitForEvents(3);
    expect(afterCreated.events).toEqual(events.slice(1));

    // The same from the log: a contact resuming from 0 sees exactly the same.
    const replay = await cable({ pubsub_token: jane.pubsub_token, after: 0 });
    await replay.waitForEvents(4);
    await new Promise((r) => setTimeout(r, 300));
    expect(replay.events).toEqual(janeCable.events);
  });

  it('a contact’s edit reaches it as message.updated; staff see the ticket change', async () => {
    const { pub } = await inboxAndClient();
    const jane = await newContact(pub);
    const conv = await pub('POST', `/contacts/${jane.source_id}/conversations`, { message: { content: 'Typo hree' } });
    const ticketId = conv.body.data.id as string;
    const messageId = conv.body.data.messages[0].id as string;
    const janeCable = await cable({ pubsub_token: jane.pubsub_token });
    const staff = await cable({ api_key: ws.key });
    expect((await pub('PATCH', `/contacts/${jane.source_id}/conversations/${ticketId}/messages/${messageId}`, { content: 'Typo here' })).status).toBe(200);
    const [edited] = await janeCable.waitForEvents(1);
    expect(edited).toEqual(
      expect.objectContaining({
        event: 'message.updated',
        data: expect.objectContaining({ id: messageId, content: 'Typo here', edited_at: expect.any(String) }),
      }),
    );
    const [changed] = await staff.waitForEvents(1);
    expect(changed.event).toBe('ticket.updated');
    expect(changed.position).toBe(edited.position);
  });

  it("a resume after a customer's erasure shows no frame with its personal data, earlier events included", async () => {
    const staff = await cable({ api_key: ws.key });
    const from = staff.lastPosition;
    const email = `zed.${Date.now()}@example.com`;
    const ticket = await newTicket(ws.key, { customer_email: email, customer_name: 'Zed Secretname' });
    await reply(ticket.id, 'We are on it');
    const customerId = (await api('GET', `/tickets/${ticket.id}`)).body.data.customer_id as string;
    await api('PATCH', `/customers/${customerId}`, { name: 'Zed Renamed' });
    expect((await api('DELETE', `/customers/${customerId}`)).status).toBe(204);
    await staff.waitFor(() => staff.events.some((e) => e.event === 'customer.deleted'), 10_000, 'customer.deleted');
    // Live, the frames before the erasure carried the customer as it was then.
    expect(JSON.stringify(staff.events)).toContain('Zed Secretname');

    const resumed = await cable({ api_key: ws.key, after: from });
    await resumed.waitForEvents(staff.events.length);
    expect(resumed.events.map((e) => e.position)).toEqual(staff.events.map((e) => e.position));
    const replayed = JSON.stringify(resumed.events);
    for (const personal of ['Zed Secretname', 'Zed Renamed', email]) expect(replayed).not.toContain(personal);
    const ticketFrames = resumed.events.filter((e) => e.data.ticket?.id === ticket.id);
    expect(ticketFrames.length).toBeGreaterThanOrEqual(2);
    for (const frame of ticketFrames) expect(frame.data.ticket.customer).toEqual(expect.objectContaining({ id: customerId, name: null, email: null }));
  });

  it('an HTTP request that is no WebSocket upgrade, or an upgrade ws refuses, gets the envelope (400) and a request id', async () => {
    const plain = await fetch(`${app.baseUrl}/cable`, { headers: { 'x-request-id': 'plain-get' } });
    expect(plain.status).toBe(400);
    expect(plain.headers.get('x-request-id')).toBe('plain-get');
    expect(((await plain.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');

    // An upgrade without Sec-WebSocket-Key (fetch cannot send Upgrade headers).
    const refused = await new Promise<{ status?: number; type?: string; id?: string; body: string }>((resolve, reject) => {
      const req = http.request(`${app.baseUrl}/cable`, { headers: { connection: 'Upgrade', upgrade: 'websocket', 'x-request-id': 'bad-upgrade' } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], id: res.headers['x-request-id'] as string, body }));
      });
      req.on('upgrade', () => reject(new Error('upgraded without a key')));
      req.on('error', reject);
      req.end();
    });
    expect({ status: refused.status, type: refused.type, id: refused.id }).toEqual({
      status: 400,
      type: 'application/json; charset=utf-8',
      id: 'bad-upgrade',
    });
    expect(JSON.parse(refused.body)).toEqual({
      error: { code: 'BAD_REQUEST', message: 'WebSocket handshake refused: Missing or invalid Sec-WebSocket-Key header', details: {} },
    });
  });

  it('bad credentials: error UNAUTHORIZED and close 4401', async () => {
    for (const subscribe of [{ api_key: 'ldk_' + 'x'.repeat(40) }, { api_key: 'nope' }, { pubsub_token: 'ldps_' + 'y'.repeat(40) }, { pubsub_token: 7 }]) {
      const client = await CableClient.subscribe(app.baseUrl, subscribe);
      clients.push(client);
      const code = await client.waitForClose();
      if (typeof subscribe.pubsub_token === 'number') {
        expect({ code, error: client.frames[0]?.code }).toEqual({ code: 4400, error: 'BAD_REQUEST' });
      } else {
        expect({ code, frames: client.frames }).toEqual({ code: 4401, frames: [{ type: 'error', code: 'UNAUTHORIZED' }] });
      }
    }
  });

  it("disabling an inbox ends its contacts' subscriptions at once (4401), refuses new ones, and enabling it again lets them resume", async () => {
    const { inboxId, pub } = await inboxAndClient();
    const jane = await newContact(pub);
    const conversation = await pub('POST', `/contacts/${jane.source_id}/conversations`, {});
    expect(conversation.status).toBe(201);
    const connected = await cable({ pubsub_token: jane.pubsub_token });
    const staff = await cable({ api_key: ws.key });
    const before = connected.lastPosition;
    expect((await api('PATCH', `/inboxes/${inboxId}`, { enabled: false })).status).toBe(200);
    expect(await connected.waitForClose(2_000)).toBe(4401);
    expect(connected.frames.at(-1)).toEqual({ type: 'error', code: 'UNAUTHORIZED' });
    const refused = await cable({ pubsub_token: jane.pubsub_token });
    expect({ code: await refused.waitForClose(), frames: refused.frames }).toEqual({ code: 4401, frames: [{ type: 'error', code: 'UNAUTHORIZED' }] });
    expect(staff.closeCode).toBeNull();
    expect((await api('PATCH', `/inboxes/${inboxId}`, { enabled: true })).status).toBe(200);
    // A replay over the time it was disabled does not end the subscription: it is enabled now.
    const resumed = await cable({ pubsub_token: jane.pubsub_token, after: before });
    expect(resumed.frames[0].type).toBe('subscribed');
    await reply(conversation.body.data.id as string, 'back again');
    await resumed.waitFor(() => summary(resumed.events).includes('message.created:back again'), 5_000);
    expect(resumed.closeCode).toBeNull();
  });

  it('after beyond the head of the log is refused (4400): a client holding it would miss every event up to it', async () => {
    const head = (await cable({ api_key: ws.key })).lastPosition;
    const ahead = await cable({ api_key: ws.key, after: head + 1_000 });
    expect(await ahead.waitForClose()).toBe(4400);
    expect(ahead.frames).toEqual([{ type: 'error', code: 'BAD_REQUEST', message: expect.stringContaining('beyond') }]);
    // At the head itself: subscribed, live from there.
    const atHead = await cable({ api_key: ws.key, after: head });
    expect(atHead.frames[0].type).toBe('subscribed');
  });

  it('a key revoked while connected is closed within 1 s', async () => {
    const extra = await app.request('POST', `/api/v1/admin/workspaces/${ws.id}/api-keys`, { token: app.adminToken });
    expect(extra.status).toBe(201);
    const key = (extra.body.data.key ?? extra.body.data.api_key?.key) as string;
    const keyId = (extra.body.data.id ?? extra.body.data.api_key?.id) as string;
    const client = await cable({ api_key: key });
    expect(client.frames[0].type).toBe('subscribed');
    const revokedAt = Date.now();
    expect((await app.request('DELETE', `/api/v1/admin/workspaces/${ws.id}/api-keys/${keyId}`, { token: app.adminToken })).status).toBe(204);
    expect(await client.waitForClose(3_000)).toBe(4401);
    expect((client.closedAt as number) - revokedAt).toBeLessThanOrEqual(1_000);
    expect(client.frames[client.frames.length - 1]).toEqual({ type: 'error', code: 'UNAUTHORIZED' });
  });

  it('typing both ways: never stored, no position', async () => {
    const { pub } = await inboxAndClient();
    const jane = await newContact(pub);
    const conv = await pub('POST', `/contacts/${jane.source_id}/conversations`, { message: { content: 'Hello' } });
    const ticketId = conv.body.data.id as string;
    const janeCable = await cable({ pubsub_token: jane.pubsub_token });
    const staff = await cable({ api_key: ws.key });
    const head = await app.infrastructure.eventStore.headPosition();

    expect((await api('POST', `/tickets/${ticketId}/typing`, { typing_status: 'on' })).status).toBe(204);
    await janeCable.waitFor(() => janeCable.frames.some((f) => f.event === 'conversation.typing_on'));
    expect(janeCable.frames.find((f) => f.event === 'conversation.typing_on')).toEqual({
      type: 'event',
      event: 'conversation.typing_on',
      data: { conversation_id: ticketId, sender: { id: null, name: 'Cable', type: 'user' } },
    });
    expect((await pub('POST', `/contacts/${jane.source_id}/conversations/${ticketId}/toggle_typing`, { typing_status: 'off' })).status).toBe(204);
    await staff.waitFor(() => staff.frames.some((f) => f.event === 'conversation.typing_off'));
    expect(staff.frames.find((f) => f.event === 'conversation.typing_off')).toEqual({
      type: 'event',
      event: 'conversation.typing_off',
      data: { conversation_id: ticketId, sender: { id: jane.id, name: 'Jane', type: 'contact' } },
    });
    // The agent's own typing does not come back to staff; the contact's not to the contact.
    expect(staff.frames.some((f) => f.event === 'conversation.typing_on')).toBe(false);
    expect(janeCable.frames.some((f) => f.event === 'conversation.typing_off')).toBe(false);
    expect(await app.infrastructure.eventStore.headPosition()).toBe(head);

    expect((await api('POST', `/tickets/${ticketId}/typing`, { typing_status: 'maybe' })).body.error.code).toBe('BAD_REQUEST');
    expect((await api('POST', `/tickets/00000000-0000-4000-8000-000000000000/typing`, { typing_status: 'on' })).status).toBe(404);
    const other = await app.createWorkspace('Typing other');
    expect((await api('POST', `/tickets/${ticketId}/typing`, { typing_status: 'on' }, other.key)).status).toBe(404);
  });

  it('limits: more than 100 frames a second in closes the socket; a malformed frame is refused', async () => {
    const client = await cable({ api_key: ws.key });
    for (let i = 0; i < 150; i++) client.send({ type: 'ping' });
    expect(await client.waitForClose()).toBe(1008);

    const bad = await CableClient.connect(app.baseUrl);
    clients.push(bad);
    bad.send('not json');
    expect(await bad.waitForClose()).toBe(4400);
    expect(bad.frames[0]).toEqual(expect.objectContaining({ type: 'error', code: 'BAD_REQUEST' }));
  });

  it('at most 10 sockets per session', async () => {
    const { pub } = await inboxAndClient();
    const jane = await newContact(pub);
    const open: CableClient[] = [];
    for (let i = 0; i < 10; i++) open.push(await cable({ pubsub_token: jane.pubsub_token }));
    expect(open.every((c) => c.frames[0].type === 'subscribed')).toBe(true);
    const eleventh = await cable({ pubsub_token: jane.pubsub_token });
    expect(await eleventh.waitForClose()).toBe(4429);
    await open[0].close();
    await new Promise((r) => setTimeout(r, 100));
    const again = await cable({ pubsub_token: jane.pubsub_token });
    expect(again.frames[0].type).toBe('subscribed');
  });

  it('a subscriber 1,000 events behind is closed with 4008 and resumes with after', async () => {
    const ticket = await newTicket();
    const slow = await cable({ api_key: ws.key });
    const from = slow.lastPosition;
    // Stop reading: the socket's buffers fill, frames pile up on the server.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(19_000);
    for (let i = 0; i < 1_300 && slow.closeCode === null; i += 20) {
      await Promise.all(Array.from({ length: 20 }, (_, j) => reply(ticket.id, `${i + j} ${big}`)));
    }
    // Still not reading a second later (a client that caught up within it would stay): closed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.waitForClose(20_000)).toBe(4008);
    const resumed = await cable({ api_key: ws.key, after: from });
    await resumed.waitFor(() => resumed.events.length > 0, 10_000);
    expect(resumed.events[0].position).toBeGreaterThan(from);
  }, 120_000);

  it('a subscriber that stops reading small frames is closed with 4008 once 1,000 behind, though the kernel still takes them', async () => {
    const ticket = await newTicket();
    const slow = await cable({ api_key: ws.key });
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    // About 1 KB a frame: 1,100 of them fit in the sockets' kernel buffers many times over.
    let sent = 0;
    for (; sent < 1_100; sent += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => reply(ticket.id, `small ${sent + j}`)));
    // Still not reading a second later (a client that caught up within it would stay): closed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await slow.waitForClose(20_000)).toBe(4008);
    // What the kernel held still arrived before the close; resuming from its last position gives the rest, none twice.
    const resumed = await cable({ api_key: ws.key, after: slow.lastPosition });
    await resumed.waitFor(() => resumed.events.filter((e) => e.event === 'ticket.message.created').length + slow.events.length >= sent, 20_000);
    const positions = [...slow.events, ...resumed.events].map((e) => e.position);
    expect(new Set(positions).size).toBe(positions.length);
  }, 120_000);
});
