import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, createTicket, createUser, expectNothingWritten } from './helpers-resources';

let app: TestApp;
let ws: { id: string; key: string };
let other: { id: string; key: string };

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Updates A');
  other = await app.createWorkspace('Updates B');
});
afterAll(() => app.close());

const events = async (id: string) =>
  (await app.request('GET', `/api/v1/tickets/${id}/events`, { token: ws.key })).body.data as Array<{ type: string; data: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('PATCH /tickets/{id}', () => {
  it('writes one event per kind of change and returns the updated ticket with its ETag', async () => {
    const t = await createTicket(app, ws.key);
    const agent = await createUser(app, ws.key);
    const res = await app.request('PATCH', `/api/v1/tickets/${t.id}`, {
      token: ws.key,
      body: { status: 'open', priority: 'urgent', assignee_id: agent.id, tags: ['billing', 'vip'], subject: 'New subject', custom_fields: { plan: 'pro' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({
      status: 'open',
      priority: 'urgent',
      assignee_id: agent.id,
      tags: ['billing', 'vip'],
      subject: 'New subject',
      custom_fields: { plan: 'pro' },
    });
    expect(res.headers.get('etag')).toBe('"7"');
    expect((await events(t.id)).map((e) => e.type)).toEqual([
      'TicketCreated',
      'MessageAppended',
      'TicketStatusChanged',
      'TicketPriorityChanged',
      'TicketAssigned',
      'TicketTagsChanged',
      'TicketSubjectChanged',
      'TicketCustomFieldsChanged',
    ]);
    const unassign = await app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { assignee_id: null, custom_fields: { plan: null } } });
    expect(unassign.body.data).toMatchObject({ assignee_id: null, custom_fields: {} });
    expect((await events(t.id)).slice(-2).map((e) => e.type)).toEqual(['TicketUnassigned', 'TicketCustomFieldsChanged']);
  });

  it('an unchanged value writes nothing', async () => {
    const t = await createTicket(app, ws.key, { priority: 'high' });
    const res = await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { priority: 'high' } }), 200);
    expect(res.body.data.priority).toBe('high');
  });

  it('If-Match: matching version applies, stale version is 412 and writes nothing', async () => {
    const t = await createTicket(app, ws.key);
    const got = await app.request('GET', `/api/v1/tickets/${t.id}`, { token: ws.key });
    const etag = got.headers.get('etag') as string;
    const ok = await app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { status: 'pending' }, headers: { 'if-match': etag } });
    expect(ok.status).toBe(200);
    const stale = await expectNothingWritten(
      app,
      () => app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { status: 'solved' }, headers: { 'if-match': etag } }),
      412,
    );
    expect(stale.body.error.code).toBe('PRECONDITION_FAILED');
    const fresh = ok.headers.get('etag') as string;
    expect((await app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { status: 'solved' }, headers: { 'if-match': fresh } })).status).toBe(
      200,
    );
  });

  it('validation: 400 with field details, nothing written', async () => {
    const t = await createTicket(app, ws.key);
    const bad = [
      { status: 'archived' },
      { priority: 'critical' },
      { assignee_id: 'nope' },
      { tags: 'billing' },
      { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      { tags: [''] },
      { subject: '' },
      { subject: 'x'.repeat(301) },
      { custom_fields: 'x' },
      { unknown_field: 1 },
      { assignee_id: UNKNOWN_ID },
    ];
    for (const body of bad) {
      const res = await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body }));
      expect(Object.keys(res.body.error.details).length).toBeGreaterThan(0);
    }
  });

  it('404 for unknown ids and for another workspace’s tickets', async () => {
    const t = await createTicket(app, ws.key);
    for (const id of [UNKNOWN_ID, t.id]) {
      await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/tickets/${id}`, { token: other.key, body: { status: 'open' } }), 404);
      await expectNothingWritten(app, () => app.request('DELETE', `/api/v1/tickets/${id}`, { token: other.key }), 404);
      await expectNothingWritten(
        app,
        () => app.request('POST', `/api/v1/tickets/${id}/merge`, { token: other.key, body: { into_ticket_id: UNKNOWN_ID } }),
        400,
      );
    }
  });
});

describe('DELETE /tickets/{id}', () => {
  it('deletes: later reads and writes 404, the history stays', async () => {
    const t = await createTicket(app, ws.key);
    expect((await app.request('DELETE', `/api/v1/tickets/${t.id}`, { token: ws.key })).status).toBe(204);
    expect((await app.request('GET', `/api/v1/tickets/${t.id}`, { token: ws.key })).status).toBe(404);
    expect((await app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { status: 'open' } })).status).toBe(404);
    expect((await app.request('POST', `/api/v1/tickets/${t.id}/messages`, { token: ws.key, body: { body: 'hi' } })).status).toBe(404);
    expect((await app.request('DELETE', `/api/v1/tickets/${t.id}`, { token: ws.key })).status).toBe(404);
    const list = await app.request('GET', '/api/v1/tickets?include_merged=true&limit=100', { token: ws.key });
    expect(list.body.data.map((x: { id: string }) => x.id)).not.toContain(t.id);
    expect((await events(t.id)).map((e) => e.type)).toEqual(['TicketCreated', 'MessageAppended', 'TicketDeleted']);
  });
});

describe('POST /tickets/{id}/merge', () => {
  it('closes the source, points it at the target, adds a system message, hides the source from lists', async () => {
    const source = await createTicket(app, ws.key, { subject: 'dup A' });
    const target = await createTicket(app, ws.key, { subject: 'dup B' });
    const res = await app.request('POST', `/api/v1/tickets/${source.id}/merge`, { token: ws.key, body: { into_ticket_id: target.id } });
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(target.id);
    expect(res.body.data.message_count).toBe(2);

    const src = await app.request('GET', `/api/v1/tickets/${source.id}`, { token: ws.key });
    expect(src.body.data).toMatchObject({ status: 'closed', merged_into_id: target.id });
    const tgt = await app.request('GET', `/api/v1/tickets/${target.id}`, { token: ws.key });
    expect(tgt.body.data.messages[1]).toMatchObject({ author_type: 'system', author_id: null });
    expect(tgt.body.data.messages[1].body).toContain(source.id);

    const ids = async (q: string) => (await app.request('GET', `/api/v1/tickets?limit=100${q}`, { token: ws.key })).body.data.map((x: { id: string }) => x.id);
    expect(await ids('')).not.toContain(source.id);
    expect(await ids('&include_merged=true')).toContain(source.id);

    const append = await app.request('POST', `/api/v1/tickets/${source.id}/messages`, { token: ws.key, body: { body: 'late' } });
    expect(append.status).toBe(409);
    expect(append.body.error.details.merged_into_id).toBe(target.id);
    expect((await app.request('PATCH', `/api/v1/tickets/${source.id}`, { token: ws.key, body: { status: 'open' } })).status).toBe(409);
    await expectNothingWritten(
      app,
      () => app.request('POST', `/api/v1/tickets/${source.id}/merge`, { token: ws.key, body: { into_ticket_id: target.id } }),
      409,
    );
    // into a merged ticket
    const third = await createTicket(app, ws.key);
    await expectNothingWritten(
      app,
      () => app.request('POST', `/api/v1/tickets/${third.id}/merge`, { token: ws.key, body: { into_ticket_id: source.id } }),
      409,
    );
  });

  it('400 naming into_ticket_id: itself, unknown, deleted, another workspace’s; body validation', async () => {
    const t = await createTicket(app, ws.key);
    const deleted = await createTicket(app, ws.key);
    await app.request('DELETE', `/api/v1/tickets/${deleted.id}`, { token: ws.key });
    const foreign = await createTicket(app, other.key);
    for (const into of [t.id, UNKNOWN_ID, deleted.id, foreign.id]) {
      const res = await expectNothingWritten(app, () =>
        app.request('POST', `/api/v1/tickets/${t.id}/merge`, { token: ws.key, body: { into_ticket_id: into } }),
      );
      expect(res.body.error.details).toHaveProperty('into_ticket_id');
    }
    for (const body of [{}, { into_ticket_id: 'x' }, { into_ticket_id: UNKNOWN_ID, extra: 1 }]) {
      await expectNothingWritten(app, () => app.request('POST', `/api/v1/tickets/${t.id}/merge`, { token: ws.key, body }));
    }
    const target = await createTicket(app, ws.key);
    await expectNothingWritten(
      app,
      () => app.request('POST', `/api/v1/tickets/${UNKNOWN_ID}/merge`, { token: ws.key, body: { into_ticket_id: target.id } }),
      404,
    );
  });
});
