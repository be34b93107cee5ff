import { waitFor, type TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, createTicket, createUser, expectNothingWritten } from './helpers-resources';

let app: TestApp;
let ws: { id: string; key: string };
let other: { id: string; key: string };

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Users A');
  other = await app.createWorkspace('Users B');
});
afterAll(() => app.close());

describe('users', () => {
  it('creates, gets, lists, updates and deletes a user', async () => {
    const created = await app.request('POST', '/api/v1/users', { token: ws.key, body: { email: 'Ann@Example.com', name: 'Ann', role: 'admin' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.any(String), email: 'ann@example.com', name: 'Ann', role: 'admin', created_at: expect.any(String) });
    const id = created.body.data.id;

    const got = await app.request('GET', `/api/v1/users/${id}`, { token: ws.key });
    expect(got.body.data).toEqual(created.body.data);

    const patched = await app.request('PATCH', `/api/v1/users/${id}`, { token: ws.key, body: { name: 'Ann B', role: 'agent' } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ name: 'Ann B', role: 'agent' });

    const list = await app.request('GET', '/api/v1/users?limit=10', { token: ws.key });
    expect(list.body.meta).toEqual({ limit: 10, total: expect.any(Number), next_cursor: null });
    expect(list.body.data.map((u: { id: string }) => u.id)).toContain(id);

    expect((await app.request('DELETE', `/api/v1/users/${id}`, { token: ws.key })).status).toBe(204);
    expect((await app.request('GET', `/api/v1/users/${id}`, { token: ws.key })).status).toBe(404);
    expect((await app.request('DELETE', `/api/v1/users/${id}`, { token: ws.key })).status).toBe(404);
  });

  it("deleting a user unassigns their tickets (recorded in each ticket's history) and no one else's", async () => {
    const leaving = await createUser(app, ws.key);
    const staying = await createUser(app, ws.key);
    const mine = [await createTicket(app, ws.key, { assignee_id: leaving.id }), await createTicket(app, ws.key, { assignee_id: leaving.id })];
    const theirs = await createTicket(app, ws.key, { assignee_id: staying.id });

    expect((await app.request('DELETE', `/api/v1/users/${leaving.id}`, { token: ws.key })).status).toBe(204);

    // A reactor following the log unassigns them, just after the 204.
    for (const ticket of mine) {
      await waitFor(
        async () => (await app.request('GET', `/api/v1/tickets/${ticket.id}`, { token: ws.key })).body.data.assignee_id === null,
        10_000,
        'the unassignment',
      );
    }
    for (const ticket of mine) {
      const got = await app.request('GET', `/api/v1/tickets/${ticket.id}`, { token: ws.key });
      expect(got.body.data.assignee_id).toBeNull();
      const history = await app.request('GET', `/api/v1/tickets/${ticket.id}/events`, { token: ws.key });
      expect(history.body.data.map((e: { type: string }) => e.type)).toContain('TicketUnassigned');
    }
    expect((await app.request('GET', `/api/v1/tickets/${theirs.id}`, { token: ws.key })).body.data.assignee_id).toBe(staying.id);
    const unassignedList = await app.request('GET', `/api/v1/tickets?assignee_id=${leaving.id}`, { token: ws.key });
    expect(unassignedList.body.data).toEqual([]);
  });

  it('paginates with a cursor, without duplicates or gaps', async () => {
    const w = await app.createWorkspace('Users paging');
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await createUser(app, w.key)).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { data: Array<{ id: string }>; meta: { next_cursor: string | null; total: number } } } = await app.request(
        'GET',
        `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { token: w.key },
      );
      expect(res.body.meta.total).toBe(5);
      seen.push(...res.body.data.map((u) => u.id));
      cursor = res.body.meta.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual([...ids].sort());
    expect((await app.request('GET', '/api/v1/users?cursor=garbage!', { token: w.key })).status).toBe(400);
  });

  it('rejects invalid bodies with field details and writes nothing', async () => {
    for (const body of [
      { name: 'x' },
      { email: 'not-an-email', name: 'x' },
      { email: 'a@b.co', name: '' },
      { email: 'a@b.co', name: 'x', role: 'owner' },
      { email: 'a@b.co', name: 'x', extra: 1 },
    ]) {
      const res = await expectNothingWritten(app, () => app.request('POST', '/api/v1/users', { token: ws.key, body }));
      expect(Object.keys(res.body.error.details).length).toBeGreaterThan(0);
    }
  });

  it('answers 409 for a duplicate email (case-insensitive)', async () => {
    await createUser(app, ws.key, { email: 'dup@example.com' });
    const res = await app.request('POST', '/api/v1/users', { token: ws.key, body: { email: 'DUP@example.com', name: 'Again' } });
    expect(res.status).toBe(409);
  });

  it('404 for unknown ids and for another workspace’s users', async () => {
    const mine = await createUser(app, ws.key);
    for (const id of [UNKNOWN_ID, mine.id, 'not-a-uuid']) {
      expect((await app.request('GET', `/api/v1/users/${id}`, { token: other.key })).status).toBe(404);
      expect((await app.request('PATCH', `/api/v1/users/${id}`, { token: other.key, body: { name: 'x' } })).status).toBe(404);
      expect((await app.request('DELETE', `/api/v1/users/${id}`, { token: other.key })).status).toBe(404);
    }
  });

  it('assignee_id must name a user of the workspace', async () => {
    const foreign = await createUser(app, other.key);
    const ticket = await createTicket(app, ws.key);
    for (const assignee of [UNKNOWN_ID, foreign.id]) {
      const res = await expectNothingWritten(app, () =>
        app.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: ws.key, body: { assignee_id: assignee } }),
      );
      expect(res.body.error.details).toHaveProperty('assignee_id');
    }
    const agent = await createUser(app, ws.key);
    const ok = await app.request('PATCH', `/api/v1/tickets/${ticket.id}`, { token: ws.key, body: { assignee_id: agent.id } });
    expect(ok.status).toBe(200);
    expect(ok.body.data.assignee_id).toBe(agent.id);
  });
});
