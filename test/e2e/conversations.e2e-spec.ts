import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, createTicket, createUser, expectNothingWritten } from './helpers-resources';

let app: TestApp;
let ws: { id: string; key: string };
let other: { id: string; key: string };

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Conv A');
  other = await app.createWorkspace('Conv B');
});
afterAll(() => app.close());

const post = (key: string, body: unknown) => app.request('POST', '/api/v1/conversations', { token: key, body });

describe('conversations', () => {
  it('replies and internal notes: created, listed by ticket/type/internal, notes hidden from GET /tickets/{id}', async () => {
    const t = await createTicket(app, ws.key);
    const agent = await createUser(app, ws.key);
    const reply = await post(ws.key, { ticket_id: t.id, content: 'Hello', type: 'reply', author_id: agent.id });
    expect(reply.status).toBe(201);
    expect(reply.body.data).toEqual({
      id: expect.any(String),
      ticket_id: t.id,
      type: 'reply',
      internal: false,
      author_type: 'agent',
      author_id: agent.id,
      content_text: 'Hello',
      external_id: null,
      created_at: expect.any(String),
    });
    const note = await post(ws.key, { ticket_id: t.id, content: 'secret', type: 'note' });
    expect(note.body.data).toMatchObject({ type: 'note', internal: true });
    const internalReply = await post(ws.key, { ticket_id: t.id, content: 'also secret', type: 'reply', internal: true });
    expect(internalReply.body.data).toMatchObject({ type: 'note', internal: true });

    const ticket = await app.request('GET', `/api/v1/tickets/${t.id}`, { token: ws.key });
    expect(ticket.body.data.message_count).toBe(2);
    expect(ticket.body.data.messages.map((m: { body: string }) => m.body)).toEqual(['Redirect loop', 'Hello']);
    expect(JSON.stringify(ticket.body)).not.toContain('secret');

    const all = await app.request('GET', `/api/v1/conversations?ticket_id=${t.id}`, { token: ws.key });
    expect(all.body.data.map((c: { content_text: string }) => c.content_text)).toEqual(['Redirect loop', 'Hello', 'secret', 'also secret']);
    expect(all.body.meta).toEqual({ limit: 20, total: 4, next_cursor: null });
    const notes = await app.request('GET', `/api/v1/conversations?ticket_id=${t.id}&internal=true`, { token: ws.key });
    expect(notes.body.data.map((c: { content_text: string }) => c.content_text)).toEqual(['secret', 'also secret']);
    const typed = await app.request('GET', `/api/v1/conversations?ticket_id=${t.id}&type=reply`, { token: ws.key });
    expect(typed.body.data).toHaveLength(2);

    const got = await app.request('GET', `/api/v1/conversations/${note.body.data.id}`, { token: ws.key });
    expect(got.body.data).toEqual(note.body.data);

    const history = await app.request('GET', `/api/v1/tickets/${t.id}/events`, { token: ws.key });
    expect(history.body.data.filter((e: { data: { internal?: boolean } }) => e.data.internal === true)).toHaveLength(2);
  });

  it('pages with a cursor in log order', async () => {
    const t = await createTicket(app, ws.key);
    for (let i = 0; i < 4; i++) await post(ws.key, { ticket_id: t.id, content: `m${i}`, type: 'reply' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: Array<{ content_text: string }>; meta: { next_cursor: string | null } } } = await app.request(
        'GET',
        `/api/v1/conversations?ticket_id=${t.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: ws.key },
      );
      seen.push(...res.body.data.map((c) => c.content_text));
      cursor = res.body.meta.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['Redirect loop', 'm0', 'm1', 'm2', 'm3']);
  });

  it('validation: 400 with details, nothing written', async () => {
    const t = await createTicket(app, ws.key);
    const foreignTicket = await createTicket(app, other.key);
    const foreignUser = await createUser(app, other.key);
    const cases: Array<[unknown, string]> = [
      [{ ticket_id: t.id, content: 'x', type: 'note', internal: false }, 'internal'],
      [{ ticket_id: t.id, content: '', type: 'reply' }, 'content'],
      [{ ticket_id: t.id, content: 'x'.repeat(20001), type: 'reply' }, 'content'],
      [{ ticket_id: t.id, content: 'x', type: 'comment' }, 'type'],
      [{ ticket_id: t.id, content: 'x' }, 'type'],
      [{ ticket_id: t.id, content: 'x', type: 'reply', internal: 'yes' }, 'internal'],
      [{ content: 'x', type: 'reply' }, 'ticket_id'],
      [{ ticket_id: UNKNOWN_ID, content: 'x', type: 'reply' }, 'ticket_id'],
      [{ ticket_id: foreignTicket.id, content: 'x', type: 'reply' }, 'ticket_id'],
      [{ ticket_id: t.id, content: 'x', type: 'reply', author_id: foreignUser.id }, 'author_id'],
      [{ ticket_id: t.id, content: 'x', type: 'reply', bogus: 1 }, 'bogus'],
    ];
    for (const [body, field] of cases) {
      const res = await expectNothingWritten(app, () => post(ws.key, body));
      expect(res.body.error.details).toHaveProperty(field);
    }
  });

  it('409 on a merged ticket, naming the target', async () => {
    const a = await createTicket(app, ws.key);
    const b = await createTicket(app, ws.key);
    await app.request('POST', `/api/v1/tickets/${a.id}/merge`, { token: ws.key, body: { into_ticket_id: b.id } });
    const res = await expectNothingWritten(app, () => post(ws.key, { ticket_id: a.id, content: 'x', type: 'note' }), 409);
    expect(res.body.error.details.merged_into_id).toBe(b.id);
  });

  it('404 for unknown ids and another workspace’s entries; lists stay in the workspace', async () => {
    const t = await createTicket(app, ws.key);
    const entry = (await post(ws.key, { ticket_id: t.id, content: 'mine', type: 'reply' })).body.data;
    expect((await app.request('GET', `/api/v1/conversations/${entry.id}`, { token: other.key })).status).toBe(404);
    expect((await app.request('GET', `/api/v1/conversations/${UNKNOWN_ID}`, { token: ws.key })).status).toBe(404);
    const list = await app.request('GET', `/api/v1/conversations?ticket_id=${t.id}`, { token: other.key });
    expect(list.body.data).toEqual([]);
  });
});
