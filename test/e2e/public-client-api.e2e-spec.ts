import { createHmac } from 'node:crypto';
import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { expectNothingWritten } from './helpers-resources';

/** The client API (API.md section 9) over HTTP: public, no workspace key. */
describe('public client API (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string };
  const SHOP = 'https://shop.example.com';

  const api = (method: string, path: string, body?: unknown, token = ws.key) => app.request(method, `/api/v1${path}`, { token, body });
  const newInbox = async (body: Record<string, unknown> = {}, key = ws.key) => {
    const res = await api('POST', '/inboxes', { name: 'Chat', allowed_origins: [SHOP], ...body }, key);
    expect(res.status).toBe(201);
    return res.body.data as { id: string; public_identifier: string; hmac_token: string };
  };
  const client =
    (publicIdentifier: string) =>
    (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
      app.request(method, `/public/api/v1/inboxes/${publicIdentifier}${path}`, { body, headers });
  const hashOf = (token: string, identifier: string) => createHmac('sha256', token).update(identifier, 'utf8').digest('hex');
  const expectError = (res: TestResponse, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(res.body.error).toEqual({ code, message: expect.any(String), details: expect.any(Object) });
  };
  const newContact = async (pub: ReturnType<typeof client>, body: Record<string, unknown> = {}) => {
    const res = await pub('POST', '/contacts', body);
    expect(res.status).toBe(201);
    return res.body.data as { source_id: string; pubsub_token: string; id: string; name: string | null; email: string | null; hmac_verified: boolean };
  };
  const newConversation = async (pub: ReturnType<typeof client>, sourceId: string, content = 'Hello there') => {
    const res = await pub('POST', `/contacts/${sourceId}/conversations`, { message: { content } });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; status: string; messages: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MINUTE: '10000', RATE_LIMIT_CONTACT_PER_MINUTE: '10000' } });
    ws = await app.createWorkspace('Client API');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET / names the inbox; unknown, malformed or disabled inboxes are 404', async () => {
    const inbox = await newInbox({ name: 'Website chat', hmac_mandatory: true });
    const res = await client(inbox.public_identifier)('GET', '');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { identifier: inbox.public_identifier, name: 'Website chat', hmac_mandatory: true } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
    // The base with the table's `/` appended is the same call.
    const slash = await client(inbox.public_identifier)('GET', '/');
    expect({ status: slash.status, body: slash.body }).toEqual({ status: 200, body: res.body });

    expectError(await client(`ldp_${'A'.repeat(24)}`)('GET', ''), 404, 'NOT_FOUND');
    expectError(await client('not-an-identifier')('GET', '/contacts/lds_x'), 404, 'NOT_FOUND');
    await api('PATCH', `/inboxes/${inbox.id}`, { enabled: false });
    await new Promise((resolve) => setTimeout(resolve, 500)); // the public side caches an inbox's settings briefly
    expectError(await client(inbox.public_identifier)('GET', ''), 404, 'NOT_FOUND');
    expectError(await client(inbox.public_identifier)('POST', '/contacts', {}), 404, 'NOT_FOUND');
  });

  it('an anonymous contact: created, read back with the same pubsub_token, updated', async () => {
    const pub = client((await newInbox()).public_identifier);
    const res = await pub('POST', '/contacts', { name: 'Ann', email: 'ann@example.com', phone: '+4912345' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      source_id: expect.stringMatching(/^lds_[A-Za-z0-9]{32}$/),
      pubsub_token: expect.any(String),
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Ann',
      email: 'ann@example.com',
      hmac_verified: false,
    });
    const contact = res.body.data;
    const fetched = await pub('GET', `/contacts/${contact.source_id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body.data).toEqual(contact);
    const patched = await pub('PATCH', `/contacts/${contact.source_id}`, { name: 'Ann B.' });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toEqual({ ...contact, name: 'Ann B.' });
    expectError(await pub('GET', `/contacts/lds_${'x'.repeat(32)}`), 404, 'NOT_FOUND');
    expectError(await pub('PATCH', `/contacts/lds_${'x'.repeat(32)}`, { name: 'x' }), 404, 'NOT_FOUND');
  });

  it("the HMAC test vector of section 9, and identity end to end with the inbox's own token", async () => {
    // The formula, on the contract's vector.
    expect(hashOf('ldh_3kTQ9zV1bX7mN2pR8sW4yC6fH0jL5aDe', 'user_123')).toBe('9705decac95c8f3dcdaf116ce2905927d79fe6a1d00d2cfee4b29d132f677ace');

    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const verified = await newContact(pub, { identifier: 'user_123', identifier_hash: hashOf(inbox.hmac_token, 'user_123'), name: 'Vera' });
    expect(verified.hmac_verified).toBe(true);
    const customer = await api('GET', `/customers/${verified.id}`);
    expect(customer.body.data.identifier).toBe('user_123');

    // Wrong, malformed, missing hashes: 401, nothing written, never a 500.
    for (const identifier_hash of [hashOf(inbox.hmac_token, 'user_124'), 'zz', '', 'A'.repeat(64), 'a'.repeat(1025), 'f'.repeat(5000), undefined]) {
      const res = await expectNothingWritten(app, () => pub('POST', '/contacts', { identifier: 'user_123', identifier_hash }), 401);
      expectError(res, 401, 'UNAUTHORIZED');
    }
    // GET/PATCH may re-assert the session's identity, never another.
    const sid = verified.source_id;
    const q = (identifier: string, hash: string) => `?identifier=${encodeURIComponent(identifier)}&identifier_hash=${hash}`;
    expect((await pub('GET', `/contacts/${sid}${q('user_123', hashOf(inbox.hmac_token, 'user_123'))}`)).status).toBe(200);
    expectError(await pub('GET', `/contacts/${sid}${q('user_999', hashOf(inbox.hmac_token, 'user_999'))}`), 401, 'UNAUTHORIZED');
    expectError(await pub('GET', `/contacts/${sid}${q('user_123', 'a'.repeat(1025))}`), 401, 'UNAUTHORIZED');
    expectError(await pub('PATCH', `/contacts/${sid}`, { identifier: 'user_999', identifier_hash: hashOf(inbox.hmac_token, 'user_999') }), 401, 'UNAUTHORIZED');

    // A rotated token: the old one stops verifying at once.
    const rotated = await api('POST', `/inboxes/${inbox.id}/hmac-token/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.data).toEqual({ hmac_token: expect.stringMatching(/^ldh_[A-Za-z0-9]{32}$/) });
    expectError(await pub('POST', '/contacts', { identifier: 'user_123', identifier_hash: hashOf(inbox.hmac_token, 'user_123') }), 401, 'UNAUTHORIZED');
    const again = await newContact(pub, { identifier: 'user_123', identifier_hash: hashOf(rotated.body.data.hmac_token, 'user_123') });
    expect(again).toMatchObject({ id: verified.id, hmac_verified: true });
    // The token is never shown again.
    const shown = await api('GET', `/inboxes/${inbox.id}`);
    expect(JSON.stringify(shown.body)).not.toContain(rotated.body.data.hmac_token);
    expect(shown.body.data).not.toHaveProperty('hmac_token');
  });

  it('hmac_mandatory: a contact without a verified identifier is 401', async () => {
    const inbox = await newInbox({ hmac_mandatory: true });
    const pub = client(inbox.public_identifier);
    expectError(await expectNothingWritten(app, () => pub('POST', '/contacts', { name: 'Anon' }), 401), 401, 'UNAUTHORIZED');
    expect((await newContact(pub, { identifier: 'u-1', identifier_hash: hashOf(inbox.hmac_token, 'u-1') })).hmac_verified).toBe(true);
  });

  it('conversations and messages: create with a first message, list newest first, get, post, list messages oldest first with cursors', async () => {
    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const contact = await newContact(pub, { name: 'Carl' });
    const sid = contact.source_id;

    const created = await pub('POST', `/contacts/${sid}/conversations`, { message: { content: 'My order is late', echo_id: 'local-1' } });
    expect(created.status).toBe(201);
    const conversation = created.body.data;
    expect(conversation).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      inbox_id: inbox.id,
      status: expect.any(String),
      messages: [
        expect.objectContaining({
          content: 'My order is late',
          body: 'My order is late',
          echo_id: 'local-1',
          message_type: 'incoming',
          content_type: 'text',
          content_attributes: {},
          private: false,
          conversation_id: conversation.id,
          inbox_id: inbox.id,
          sender: { id: contact.id, name: 'Carl', type: 'contact' },
          edited_at: null,
        }),
      ],
      created_at: expect.any(String),
      last_activity_at: expect.any(String),
    });
    const empty = await pub('POST', `/contacts/${sid}/conversations`, {});
    expect(empty.status).toBe(201);
    expect(empty.body.data.messages).toEqual([]);

    // The agent side sees a channel ticket of this customer in this inbox.
    const ticket = await api('GET', `/tickets/${conversation.id}`);
    expect(ticket.body.data).toMatchObject({ source: 'channel', customer_id: contact.id, inbox_id: inbox.id });

    const list = await pub('GET', `/contacts/${sid}/conversations?limit=1`);
    expect(list.status).toBe(200);
    expect(list.body.data.map((c: { id: string }) => c.id)).toEqual([empty.body.data.id]);
    expect(list.body.meta).toEqual({ limit: 1, total: 2, next_cursor: expect.any(String) });
    const next = await pub('GET', `/contacts/${sid}/conversations?limit=1&cursor=${encodeURIComponent(list.body.meta.next_cursor)}`);
    expect(next.body.data.map((c: { id: string }) => c.id)).toEqual([conversation.id]);
    expect(next.body.meta.next_cursor).toBeNull();
    expectError(await pub('GET', `/contacts/${sid}/conversations?cursor=garbage`), 400, 'BAD_REQUEST');

    const got = await pub('GET', `/contacts/${sid}/conversations/${conversation.id}`);
    expect(got.status).toBe(200);
    expect(got.body.data).toEqual(conversation);

    const posted = await pub('POST', `/contacts/${sid}/conversations/${conversation.id}/messages`, { content: 'Any news?', echo_id: 'local-2' });
    expect(posted.status).toBe(201);
    expect(posted.body.data).toMatchObject({
      content: 'Any news?',
      echo_id: 'local-2',
      message_type: 'incoming',
      conversation_id: conversation.id,
      private: false,
    });
    const reply = await api('POST', `/tickets/${conversation.id}/messages`, { body: 'On its way', message_type: 'outgoing' });
    expect(reply.status).toBe(201);

    const page1 = await pub('GET', `/contacts/${sid}/conversations/${conversation.id}/messages?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((m: { content: string }) => m.content)).toEqual(['My order is late', 'Any news?']);
    const page2 = await pub(
      'GET',
      `/contacts/${sid}/conversations/${conversation.id}/messages?limit=2&cursor=${encodeURIComponent(page1.body.meta.next_cursor)}`,
    );
    expect(page2.body.data).toEqual([
      expect.objectContaining({ content: 'On its way', message_type: 'outgoing', sender: expect.objectContaining({ type: 'user' }) }),
    ]);
    expect(page2.body.meta.next_cursor).toBeNull();
  });

  it('internal notes never reach a contact: not in messages, not in conversations', async () => {
    const pub = client((await newInbox()).public_identifier);
    const { source_id: sid } = await newContact(pub);
    const conversation = await newConversation(pub, sid);
    const note = await api('POST', '/conversations', { ticket_id: conversation.id, content: 'SECRET internal note', type: 'reply', internal: true });
    expect(note.status).toBe(201);
    const messages = await pub('GET', `/contacts/${sid}/conversations/${conversation.id}/messages`);
    const one = await pub('GET', `/contacts/${sid}/conversations/${conversation.id}`);
    const list = await pub('GET', `/contacts/${sid}/conversations`);
    for (const res of [messages, one, list]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('SECRET');
    }
    expect(messages.body.data).toHaveLength(1);
    expectError(await pub('PATCH', `/contacts/${sid}/conversations/${conversation.id}/messages/${note.body.data.id}`, { content: 'x' }), 404, 'NOT_FOUND');
  });

  it('two devices of one verified contact see the same conversations', async () => {
    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const identity = { identifier: 'shopper-42', identifier_hash: hashOf(inbox.hmac_token, 'shopper-42') };
    const phone = await newContact(pub, identity);
    const laptop = await newContact(pub, identity);
    expect(laptop.source_id).not.toBe(phone.source_id);
    expect(laptop.id).toBe(phone.id);
    const fromPhone = await newConversation(pub, phone.source_id, 'from my phone');
    const onLaptop = await pub('GET', `/contacts/${laptop.source_id}/conversations`);
    expect(onLaptop.body.data.map((c: { id: string }) => c.id)).toEqual([fromPhone.id]);
    expect((await pub('GET', `/contacts/${laptop.source_id}/conversations/${fromPhone.id}`)).status).toBe(200);
    const written = await pub('POST', `/contacts/${laptop.source_id}/conversations/${fromPhone.id}/messages`, { content: 'now on my laptop' });
    expect(written.status).toBe(201);
    // The same person may edit what they wrote on another device.
    const edited = await pub('PATCH', `/contacts/${laptop.source_id}/conversations/${fromPhone.id}/messages/${fromPhone.messages[0].id}`, {
      content: 'from my phone (edited)',
    });
    expect(edited.status).toBe(200);
  });

  it("an anonymous session giving another customer's email gets a new customer (claimed_email) and none of that customer's conversations", async () => {
    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const jane = await api('POST', '/customers', { email: 'jane.doe@example.com', name: 'Jane' });
    expect(jane.status).toBe(201);
    const janesTicket = await api('POST', '/tickets', {
      subject: 'Private',
      description: 'my account',
      customer_email: 'jane.doe@example.com',
      inbox_id: inbox.id,
    });
    expect(janesTicket.status).toBe(201);

    const impostor = await newContact(pub, { email: 'jane.doe@example.com', name: 'Not Jane' });
    expect(impostor.id).not.toBe(jane.body.data.id);
    expect(impostor.email).toBe('jane.doe@example.com');
    const stored = await api('GET', `/customers/${impostor.id}`);
    expect(stored.body.data).toMatchObject({ email: null, claimed_email: 'jane.doe@example.com' });
    const list = await pub('GET', `/contacts/${impostor.source_id}/conversations`);
    expect(list.body.data).toEqual([]);
    expectError(await pub('GET', `/contacts/${impostor.source_id}/conversations/${janesTicket.body.data.id}`), 404, 'NOT_FOUND');
    expectError(await pub('POST', `/contacts/${impostor.source_id}/conversations/${janesTicket.body.data.id}/messages`, { content: 'hi' }), 404, 'NOT_FOUND');
  });

  it("a conversation an agent merged into another stays in the session's list, closed, as GET shows it", async () => {
    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const jane = await newContact(pub);
    const first = await newConversation(pub, jane.source_id, 'First question');
    const second = await newConversation(pub, jane.source_id, 'Second question');
    expect((await api('POST', `/tickets/${first.id}/merge`, { into_ticket_id: second.id })).status).toBe(200);
    const listed = await pub('GET', `/contacts/${jane.source_id}/conversations`);
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((c: { id: string; status: string }) => [c.id, c.status])).toEqual([
      [second.id, expect.any(String)],
      [first.id, 'closed'],
    ]);
    expect((await pub('GET', `/contacts/${jane.source_id}/conversations/${first.id}`)).body.data.status).toBe('closed');
  });

  it("a message to a merged conversation is a 409 naming its target only when the session sees it, never another customer's", async () => {
    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const jane = await newContact(pub);
    const john = await newContact(pub);
    const janes = await newConversation(pub, jane.source_id, 'Jane asks');
    const janesLater = await newConversation(pub, jane.source_id, 'Jane asks again');
    const johns = await newConversation(pub, john.source_id, 'John asks');
    expect((await api('POST', `/tickets/${janes.id}/merge`, { into_ticket_id: janesLater.id })).status).toBe(200);
    expect((await api('POST', `/tickets/${johns.id}/merge`, { into_ticket_id: janesLater.id })).status).toBe(200);

    const ownTarget = await pub('POST', `/contacts/${jane.source_id}/conversations/${janes.id}/messages`, { content: 'more' });
    expectError(ownTarget, 409, 'CONFLICT');
    expect(ownTarget.body.error.details).toEqual({ merged_into_id: janesLater.id });

    const foreignTarget = await pub('POST', `/contacts/${john.source_id}/conversations/${johns.id}/messages`, { content: 'more' });
    expectError(foreignTarget, 409, 'CONFLICT');
    expect(foreignTarget.body.error.details).toEqual({ merged_into_id: null });
    expect(JSON.stringify(foreignTarget.body)).not.toContain(janesLater.id);
    const johnsMessage = johns.messages[0].id as string;
    const edit = await pub('PATCH', `/contacts/${john.source_id}/conversations/${johns.id}/messages/${johnsMessage}`, { content: 'edited' });
    expectError(edit, 409, 'CONFLICT');
    expect(JSON.stringify(edit.body)).not.toContain(janesLater.id);
  });

  it("another session's (or another inbox's) conversations and messages are 404", async () => {
    const inbox = await newInbox();
    const other = await newInbox();
    const pub = client(inbox.public_identifier);
    const a = await newContact(pub);
    const b = await newContact(pub);
    const onOther = await newContact(client(other.public_identifier));
    const conversation = await newConversation(pub, a.source_id);
    const messageId = conversation.messages[0].id;
    const base = `/contacts/${b.source_id}/conversations/${conversation.id}`;
    for (const [method, path, body] of [
      ['GET', base, undefined],
      ['GET', `${base}/messages`, undefined],
      ['POST', `${base}/messages`, { content: 'x' }],
      ['PATCH', `${base}/messages/${messageId}`, { content: 'x' }],
      ['POST', `${base}/toggle_status`, undefined],
      ['POST', `${base}/toggle_typing`, { typing_status: 'on' }],
    ] as const) {
      expectError(await expectNothingWritten(app, () => pub(method, path, body), 404), 404, 'NOT_FOUND');
    }
    // A session of another inbox names nothing here.
    expectError(await pub('GET', `/contacts/${onOther.source_id}`), 404, 'NOT_FOUND');
    expectError(await pub('GET', `/contacts/${onOther.source_id}/conversations`), 404, 'NOT_FOUND');
    // Unknown and malformed ids are the same 404.
    expectError(await pub('GET', `/contacts/${a.source_id}/conversations/00000000-0000-4000-8000-000000000000`), 404, 'NOT_FOUND');
    expectError(await pub('GET', `/contacts/${a.source_id}/conversations/not-a-uuid`), 404, 'NOT_FOUND');
    expectError(await pub('PATCH', `/contacts/${a.source_id}/conversations/${conversation.id}/messages/not-a-uuid`, { content: 'x' }), 404, 'NOT_FOUND');
  });

  it("editing one's own message works (edited_at); an agent's message is 403", async () => {
    const pub = client((await newInbox()).public_identifier);
    const { source_id: sid } = await newContact(pub);
    const conversation = await newConversation(pub, sid, 'typo hree');
    const path = `/contacts/${sid}/conversations/${conversation.id}/messages`;
    const edited = await pub('PATCH', `${path}/${conversation.messages[0].id}`, { content: 'typo here' });
    expect(edited.status).toBe(200);
    expect(edited.body.data).toMatchObject({ id: conversation.messages[0].id, content: 'typo here', edited_at: expect.any(String) });
    const listed = await pub('GET', path);
    expect(listed.body.data[0]).toMatchObject({ content: 'typo here', edited_at: expect.any(String) });

    const agent = await api('POST', `/tickets/${conversation.id}/messages`, { body: 'Agent answer', message_type: 'outgoing' });
    expect(agent.status).toBe(201);
    expectError(await expectNothingWritten(app, () => pub('PATCH', `${path}/${agent.body.data.id}`, { content: 'hacked' }), 403), 403, 'FORBIDDEN');
  });

  it('toggle_status resolves (solved) and leaves a solved one unchanged; a later message reopens it; toggle_typing is 204 and stores nothing', async () => {
    const pub = client((await newInbox()).public_identifier);
    const { source_id: sid } = await newContact(pub);
    const conversation = await newConversation(pub, sid);
    const base = `/contacts/${sid}/conversations/${conversation.id}`;
    // It takes no body: options it does not have are refused, and nothing changes.
    for (const body of [{ status: 'open' }, [1, 2]])
      expectError(await expectNothingWritten(app, () => pub('POST', `${base}/toggle_status`, body)), 400, 'BAD_REQUEST');
    const resolved = await pub('POST', `${base}/toggle_status`);
    expect(resolved.status).toBe(200);
    expect(resolved.body.data).toMatchObject({ id: conversation.id, status: 'solved' });
    const again = await expectNothingWritten(app, () => pub('POST', `${base}/toggle_status`), 200);
    expect(again.body.data.status).toBe('solved');

    expect((await pub('POST', `${base}/messages`, { content: 'one more thing' })).status).toBe(201);
    expect((await pub('GET', base)).body.data.status).toBe('open');

    const typing = await expectNothingWritten(app, () => pub('POST', `${base}/toggle_typing`, { typing_status: 'on' }), 204);
    expect(typing.body).toBeNull();
    await expectNothingWritten(app, () => pub('POST', `${base}/toggle_typing`, { typing_status: 'maybe' }), 400);
    await expectNothingWritten(app, () => pub('POST', `${base}/toggle_typing`, {}), 400);
  });

  it('an idempotent POST retried returns the same message, written once', async () => {
    const pub = client((await newInbox()).public_identifier);
    const { source_id: sid } = await newContact(pub);
    const conversation = await newConversation(pub, sid);
    const path = `/contacts/${sid}/conversations/${conversation.id}/messages`;
    const first = await pub('POST', path, { content: 'only once', echo_id: 'e-1' }, { 'Idempotency-Key': 'msg-1' });
    const retry = await pub('POST', path, { content: 'only once', echo_id: 'e-1' }, { 'Idempotency-Key': 'msg-1' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const listed = await pub('GET', path);
    expect(listed.body.data.filter((m: { content: string }) => m.content === 'only once')).toHaveLength(1);
    // Keys are the session's own: another session's same key is another request.
    const other = await newContact(pub);
    const otherConversation = await newConversation(pub, other.source_id);
    const theirs = await pub(
      'POST',
      `/contacts/${other.source_id}/conversations/${otherConversation.id}/messages`,
      { content: 'mine' },
      { 'Idempotency-Key': 'msg-1' },
    );
    expect(theirs.status).toBe(201);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    // A retried contact creation (scoped to the client address) gives the same session.
    const c1 = await pub('POST', '/contacts', { name: 'Retry' }, { 'Idempotency-Key': 'contact-1' });
    const c2 = await pub('POST', '/contacts', { name: 'Retry' }, { 'Idempotency-Key': 'contact-1' });
    expect(c2.body.data.source_id).toBe(c1.body.data.source_id);
  });

  it('origins: a disallowed one is 403 without CORS headers; allowed ones (and Ledgerdesk itself) get CORS, preflight included', async () => {
    const pub = client((await newInbox()).public_identifier);
    const evil = await expectNothingWritten(app, () => pub('POST', '/contacts', { name: 'x' }, { Origin: 'https://evil.example.com' }), 403);
    expectError(evil, 403, 'FORBIDDEN');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const evilPreflight = await pub('OPTIONS', '/contacts', undefined, { Origin: 'https://evil.example.com', 'Access-Control-Request-Method': 'POST' });
    expect(evilPreflight.status).toBe(403);
    expect(evilPreflight.headers.get('access-control-allow-origin')).toBeNull();

    const preflight = await pub('OPTIONS', '/contacts', undefined, {
      Origin: SHOP,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type, idempotency-key',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(preflight.headers.get('vary')).toContain('Origin');
    expect(preflight.headers.get('access-control-allow-methods')).toEqual(expect.stringContaining('PATCH'));
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('idempotency-key'));

    const allowed = await pub('POST', '/contacts', { name: 'Shop visitor' }, { Origin: SHOP });
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.headers.get('access-control-expose-headers')).toEqual(expect.stringContaining('X-Request-Id'));
    // Errors of an allowed origin carry CORS too, so the page can read them.
    const notFound = await pub('GET', `/contacts/lds_${'z'.repeat(32)}`, undefined, { Origin: SHOP });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('access-control-allow-origin')).toBe(SHOP);

    const own = await pub('GET', '', undefined, { Origin: app.baseUrl });
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(app.baseUrl);
    // A server-side client sends no Origin: allowed, no CORS headers needed.
    const server = await pub('GET', '');
    expect(server.status).toBe(200);
    expect(server.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('allowed_origins are validated (400) and normalised on POST and PATCH /inboxes', async () => {
    for (const allowed_origins of [
      ['https://shop.example.com/path'],
      ['*'],
      'https://a.example.com',
      Array.from({ length: 21 }, (_, i) => `https://s${i}.example.com`),
      [42],
    ]) {
      const res = await expectNothingWritten(app, () => api('POST', '/inboxes', { name: 'x', allowed_origins }));
      expect(res.body.error.details).toHaveProperty('allowed_origins');
    }
    await expectNothingWritten(app, () => api('POST', '/inboxes', { name: 'x', hmac_mandatory: 'yes' }));
    const inbox = await newInbox({ allowed_origins: ['HTTPS://Shop.Example.com:443'] });
    const fetched = await api('GET', `/inboxes/${inbox.id}`);
    expect(fetched.body.data).toMatchObject({ public_identifier: inbox.public_identifier, hmac_mandatory: false, allowed_origins: [SHOP] });
    const patched = await api('PATCH', `/inboxes/${inbox.id}`, { allowed_origins: ['https://app.example.com'], hmac_mandatory: true });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ allowed_origins: ['https://app.example.com'], hmac_mandatory: true });
    await expectNothingWritten(app, () => api('PATCH', `/inboxes/${inbox.id}`, { allowed_origins: ['ftp://x.example.com'] }));
  });

  it('checks come in the contract order: 413 for long content, 400 for bad bodies, 402 for an inactive workspace (reads still work)', async () => {
    const pub = client((await newInbox()).public_identifier);
    const { source_id: sid } = await newContact(pub);
    const conversation = await newConversation(pub, sid);
    const path = `/contacts/${sid}/conversations/${conversation.id}/messages`;
    expectError(await expectNothingWritten(app, () => pub('POST', path, { content: 'x'.repeat(20_001) }), 413), 413, 'PAYLOAD_TOO_LARGE');
    expectError(
      await expectNothingWritten(app, () => pub('POST', `/contacts/${sid}/conversations`, { message: { content: 'x'.repeat(20_001) } }), 413),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    // 20,000 characters is in range however they are written: emoji, each a JSON escape pair (240 KB).
    const escaped = JSON.stringify({ content: '😀'.repeat(20_000) }).replace(/[\ud800-\udfff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`);
    expect((await pub('POST', path, escaped, { 'content-type': 'application/json' })).status).toBe(201);
    for (const body of [{}, { content: '' }, { content: 5 }, { content: 'ok', echo_id: 'e'.repeat(65) }, { content: 'ok', extra: 1 }]) {
      expectError(await expectNothingWritten(app, () => pub('POST', path, body)), 400, 'BAD_REQUEST');
    }
    // 400 comes before 404: an invalid body on an unknown session is still a 400.
    expectError(await pub('POST', `/contacts/lds_${'q'.repeat(32)}/conversations`, { message: 'nope' }), 400, 'BAD_REQUEST');
    expectError(await pub('POST', '/contacts', { email: 'not-an-email' }), 400, 'BAD_REQUEST');
    // ... and on an unknown inbox too: the inbox's 404 comes after the validation of body and query.
    const nowhere = client(`ldp_${'Q'.repeat(24)}`);
    expectError(await nowhere('POST', '/contacts', { email: 'not-an-email' }), 400, 'BAD_REQUEST');
    expectError(await nowhere('PATCH', `/contacts/${sid}`, { extra: 1 }), 400, 'BAD_REQUEST');
    expectError(await nowhere('POST', path, { content: 'ok', echo_id: 'e'.repeat(65) }), 400, 'BAD_REQUEST');
    expectError(await nowhere('GET', `/contacts/${sid}/conversations?limit=0`), 400, 'BAD_REQUEST');
    expectError(await nowhere('POST', path, { content: 'ok' }), 404, 'NOT_FOUND');
    // Identity (401) comes before existence (404): a hash that does not verify, on an unknown session.
    const unknownSession = `/contacts/lds_${'q'.repeat(32)}`;
    expectError(await pub('GET', `${unknownSession}?identifier=user_1&identifier_hash=${'0'.repeat(64)}`), 401, 'UNAUTHORIZED');
    expectError(await pub('PATCH', unknownSession, { identifier: 'user_1', identifier_hash: 'zz' }), 401, 'UNAUTHORIZED');
    expectError(await pub('GET', unknownSession), 404, 'NOT_FOUND');

    const lapsing = await app.createWorkspace('Lapsing client API');
    const inbox = await newInbox({}, lapsing.key);
    const lpub = client(inbox.public_identifier);
    const contact = await newContact(lpub);
    expect((await lpub('GET', `/contacts/${contact.source_id}`)).status).toBe(200); // the inbox is known (cached) here
    await app.request('PATCH', `/api/v1/admin/workspaces/${lapsing.id}`, { token: app.adminToken, body: { subscription_status: 'inactive' } });
    // From the very next request on, as the workspace API.
    expectError(await expectNothingWritten(app, () => lpub('POST', '/contacts', {}), 402), 402, 'PAYMENT_REQUIRED');
    expectError(await lpub('PATCH', `/contacts/${contact.source_id}`, { name: 'x' }), 402, 'PAYMENT_REQUIRED');
    expect((await lpub('GET', `/contacts/${contact.source_id}`)).status).toBe(200);
  });

  it("an inbox's changes hold from the next request on: an origin removed is 403, a disabled inbox 404", async () => {
    const inbox = await newInbox();
    const pub = client(inbox.public_identifier);
    const fromShop = { origin: SHOP };
    expect((await pub('POST', '/contacts', {}, fromShop)).status).toBe(201);
    expect((await api('PATCH', `/inboxes/${inbox.id}`, { allowed_origins: [] })).status).toBe(200);
    expectError(await pub('POST', '/contacts', {}, fromShop), 403, 'FORBIDDEN');
    expect((await api('PATCH', `/inboxes/${inbox.id}`, { allowed_origins: [SHOP] })).status).toBe(200);
    expect((await pub('POST', '/contacts', {}, fromShop)).status).toBe(201);
    expect((await api('PATCH', `/inboxes/${inbox.id}`, { enabled: false })).status).toBe(200);
    expectError(await pub('POST', '/contacts', {}, fromShop), 404, 'NOT_FOUND');
  });

  it('OpenAPI lists the public endpoints under their full /public/api/v1 paths', async () => {
    const doc = await app.request('GET', '/openapi.json');
    const paths = Object.keys(doc.body.paths);
    for (const path of [
      '/public/api/v1/inboxes/{public_identifier}',
      '/public/api/v1/inboxes/{public_identifier}/contacts',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}/conversations',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}/conversations/{id}',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}/conversations/{id}/toggle_status',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}/conversations/{id}/toggle_typing',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}/conversations/{id}/messages',
      '/public/api/v1/inboxes/{public_identifier}/contacts/{source_id}/conversations/{id}/messages/{message_id}',
      '/api/v1/inboxes/{id}/hmac-token/rotate',
    ]) {
      expect(paths).toContain(path);
    }
  });
});
