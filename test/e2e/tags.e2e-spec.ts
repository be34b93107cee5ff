import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, createTicket, expectNothingWritten } from './helpers-resources';

let app: TestApp;
let ws: { id: string; key: string };
let other: { id: string; key: string };

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Tags A');
  other = await app.createWorkspace('Tags B');
});
afterAll(() => app.close());

const tagByName = async (key: string, name: string) =>
  (await app.request('GET', `/api/v1/tags?limit=100`, { token: key })).body.data.find((t: { name: string }) => t.name === name);

describe('tags', () => {
  it('CRUD with colour and ticket_count', async () => {
    const created = await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'billing', color: '#FF0000' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: expect.any(String), name: 'billing', color: '#ff0000', ticket_count: 0, created_at: expect.any(String) });
    const id = created.body.data.id;
    await createTicket(app, ws.key, { tags: ['billing'] });
    expect((await app.request('GET', `/api/v1/tags/${id}`, { token: ws.key })).body.data.ticket_count).toBe(1);
    const patched = await app.request('PATCH', `/api/v1/tags/${id}`, { token: ws.key, body: { color: '#00ff00' } });
    expect(patched.body.data).toMatchObject({ name: 'billing', color: '#00ff00', ticket_count: 1 });
    expect((await app.request('DELETE', `/api/v1/tags/${id}`, { token: ws.key })).status).toBe(204);
    expect((await app.request('GET', `/api/v1/tags/${id}`, { token: ws.key })).status).toBe(404);
    // the name is free again
    expect((await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'Billing' } })).status).toBe(201);
  });

  it('names are unique per workspace, case-insensitively (409); other workspaces may reuse them', async () => {
    await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'urgent-care' } });
    await expectNothingWritten(app, () => app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'URGENT-care' } }), 409);
    expect((await app.request('POST', '/api/v1/tags', { token: other.key, body: { name: 'urgent-care' } })).status).toBe(201);
    const b = await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'other-name' } });
    await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/tags/${b.body.data.id}`, { token: ws.key, body: { name: 'Urgent-Care' } }), 409);
  });

  it('concurrent creates of one name: exactly one wins', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'race' } })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('tags named on a ticket are created on first use and counted; PATCH tags moves the counts', async () => {
    const t = await createTicket(app, ws.key, { tags: ['first-use', 'second'] });
    expect((await tagByName(ws.key, 'first-use'))?.ticket_count).toBe(1);
    await app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { tags: ['second', 'third'] } });
    expect((await tagByName(ws.key, 'first-use')).ticket_count).toBe(0);
    expect((await tagByName(ws.key, 'second')).ticket_count).toBe(1);
    expect((await tagByName(ws.key, 'third')).ticket_count).toBe(1);
    // an existing tag named with other case keeps its canonical name
    const t2 = await createTicket(app, ws.key, { tags: ['THIRD'] });
    expect(t2.tags).toEqual(['third']);
  });

  it('renaming a tag renames it on every ticket', async () => {
    const a = await createTicket(app, ws.key, { tags: ['old-name', 'keep'] });
    const b = await createTicket(app, ws.key, { tags: ['old-name'] });
    const tag = await tagByName(ws.key, 'old-name');
    const res = await app.request('PATCH', `/api/v1/tags/${tag.id}`, { token: ws.key, body: { name: 'new-name' } });
    expect(res.status).toBe(200);
    for (const t of [a, b]) {
      const got = await app.request('GET', `/api/v1/tickets/${t.id}`, { token: ws.key });
      expect(got.body.data.tags).toContain('new-name');
      expect(got.body.data.tags).not.toContain('old-name');
    }
    const listed = await app.request('GET', '/api/v1/tickets?tags=new-name', { token: ws.key });
    expect(listed.body.meta.total).toBe(2);
  });

  it('validation: 400, nothing written', async () => {
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { name: 'x'.repeat(51) },
      { name: 'x', color: 'red' },
      { name: 'x', color: '#fff' },
      { name: 'x', extra: 1 },
    ]) {
      await expectNothingWritten(app, () => app.request('POST', '/api/v1/tags', { token: ws.key, body }));
    }
  });

  it("a blank name among a ticket's tags is a 400 naming tags, on create and on PATCH; nothing written", async () => {
    const create = { subject: 's', description: 'd', customer_email: 'blank-tags@example.com' };
    for (const tags of [['   '], ['ok', ' ']]) {
      const res = await expectNothingWritten(app, () => app.request('POST', '/api/v1/tickets', { token: ws.key, body: { ...create, tags } }));
      expect(res.body.error.details).toHaveProperty('tags');
    }
    const t = await createTicket(app, ws.key, { tags: ['kept'] });
    const res = await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { tags: ['\t'] } }));
    expect(res.body.error.details).toHaveProperty('tags');
  });

  it('a tag name with a comma (which ?tags= could never find) is a 400 on tickets and on /tags; nothing written', async () => {
    const create = { subject: 's', description: 'd', customer_email: 'comma-tags@example.com' };
    const onCreate = await expectNothingWritten(app, () =>
      app.request('POST', '/api/v1/tickets', { token: ws.key, body: { ...create, tags: ['ok', 'vip,eu'] } }),
    );
    expect(onCreate.body.error.details).toHaveProperty('tags');
    const t = await createTicket(app, ws.key, { tags: ['kept'] });
    const onPatch = await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { tags: ['a,b'] } }));
    expect(onPatch.body.error.details).toHaveProperty('tags');
    const onTag = await expectNothingWritten(app, () => app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'x,' } }));
    expect(onTag.body.error.details).toHaveProperty('name');
    const tag = await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'no comma here' } });
    expect(tag.status).toBe(201);
    const onRename = await expectNothingWritten(app, () =>
      app.request('PATCH', `/api/v1/tags/${tag.body.data.id as string}`, { token: ws.key, body: { name: ',' } }),
    );
    expect(onRename.body.error.details).toHaveProperty('name');
  });

  it('a long tag name ending in a comma is refused at once (the checks are linear in its length)', async () => {
    const name = `${'a'.repeat(300_000)},`;
    const started = Date.now();
    expect((await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name } })).status).toBe(400);
    const t = await createTicket(app, ws.key, { tags: ['kept'] });
    expect((await app.request('PATCH', `/api/v1/tickets/${t.id}`, { token: ws.key, body: { tags: [name] } })).status).toBe(400);
    // A pattern that backtracks takes over a minute on a name this long.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('GET /tickets?tags= matches a tag whatever the case it is written in', async () => {
    const t = await createTicket(app, ws.key, { tags: ['Escalated'] });
    const other = await createTicket(app, ws.key, { tags: ['calm'] });
    for (const query of ['tags=escalated', 'tags=ESCALATED', 'tags=Escalated', 'tags=nothing,eScAlAtEd']) {
      const ids = (await app.request('GET', `/api/v1/tickets?${query}&limit=100`, { token: ws.key })).body.data.map((x: { id: string }) => x.id);
      expect(ids).toContain(t.id);
      expect(ids).not.toContain(other.id);
    }
  });

  it('404 for unknown ids and another workspace’s tags; paging', async () => {
    const mine = (await app.request('POST', '/api/v1/tags', { token: ws.key, body: { name: 'private' } })).body.data;
    for (const id of [UNKNOWN_ID, mine.id]) {
      expect((await app.request('GET', `/api/v1/tags/${id}`, { token: other.key })).status).toBe(404);
      expect((await app.request('PATCH', `/api/v1/tags/${id}`, { token: other.key, body: { color: '#000000' } })).status).toBe(404);
      expect((await app.request('DELETE', `/api/v1/tags/${id}`, { token: other.key })).status).toBe(404);
    }
    const page1 = await app.request('GET', '/api/v1/tags?limit=2&order_by=name&order_dir=asc', { token: ws.key });
    const page2 = await app.request('GET', `/api/v1/tags?limit=2&order_by=name&order_dir=asc&cursor=${page1.body.meta.next_cursor}`, { token: ws.key });
    const names = [...page1.body.data, ...page2.body.data].map((t: { name: string }) => t.name);
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(4);
    expect((await app.request('GET', `/api/v1/tags?limit=2&cursor=${page1.body.meta.next_cursor}`, { token: ws.key })).status).toBe(400);
  });
});
