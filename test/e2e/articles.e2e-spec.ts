import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, expectNothingWritten } from './helpers-resources';

let app: TestApp;
let ws: { id: string; key: string };
let other: { id: string; key: string };

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Articles A');
  other = await app.createWorkspace('Articles B');
});
afterAll(() => app.close());

const create = (key: string, body: unknown) => app.request('POST', '/api/v1/articles', { token: key, body });

describe('articles', () => {
  it('CRUD', async () => {
    const res = await create(ws.key, { title: 'How to reset password', body: 'Click forgot', collection_id: 'col_123' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      title: 'How to reset password',
      body: 'Click forgot',
      collection_id: 'col_123',
      status: 'draft',
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = res.body.data.id;
    const patched = await app.request('PATCH', `/api/v1/articles/${id}`, { token: ws.key, body: { status: 'published', collection_id: null } });
    expect(patched.body.data).toMatchObject({ status: 'published', collection_id: null });
    expect((await app.request('GET', `/api/v1/articles/${id}`, { token: ws.key })).body.data.status).toBe('published');
    expect((await app.request('DELETE', `/api/v1/articles/${id}`, { token: ws.key })).status).toBe(204);
    expect((await app.request('GET', `/api/v1/articles/${id}`, { token: ws.key })).status).toBe(404);
  });

  it('collection_id null means no collection, on create as on PATCH', async () => {
    const res = await create(ws.key, { title: 'Loose', body: 'No collection', collection_id: null });
    expect(res.status).toBe(201);
    expect(res.body.data.collection_id).toBeNull();
  });

  it('filters collection_id, status, search; cursor pages', async () => {
    const w = await app.createWorkspace('Articles filters');
    await create(w.key, { title: 'Billing FAQ', body: 'Invoices', collection_id: 'billing', status: 'published' });
    await create(w.key, { title: 'Refunds', body: 'How refunds work for invoices', collection_id: 'billing' });
    await create(w.key, { title: 'Login help', body: 'Reset', collection_id: 'account', status: 'published' });
    const titles = async (q: string) =>
      (await app.request('GET', `/api/v1/articles?${q}`, { token: w.key })).body.data.map((a: { title: string }) => a.title).sort();
    expect(await titles('collection_id=billing')).toEqual(['Billing FAQ', 'Refunds']);
    expect(await titles('status=published')).toEqual(['Billing FAQ', 'Login help']);
    expect(await titles('search=INVOICES')).toEqual(['Billing FAQ', 'Refunds']);
    expect(await titles('search=invoices&status=draft')).toEqual(['Refunds']);
    const p1 = await app.request('GET', '/api/v1/articles?limit=2', { token: w.key });
    expect(p1.body.meta).toMatchObject({ limit: 2, total: 3 });
    const p2 = await app.request('GET', `/api/v1/articles?limit=2&cursor=${p1.body.meta.next_cursor}`, { token: w.key });
    expect(p2.body.data).toHaveLength(1);
    expect(p2.body.meta.next_cursor).toBeNull();
  });

  it('validation: 400, nothing written', async () => {
    for (const body of [
      {},
      { title: 'x' },
      { title: '', body: 'x' },
      { title: 'x', body: 'x', collection_id: 'c'.repeat(65) },
      { title: 'x', body: 'x', status: 'archived' },
      { title: 'x', body: 'x', z: 1 },
    ]) {
      await expectNothingWritten(app, () => create(ws.key, body));
    }
    expect((await app.request('GET', '/api/v1/articles?status=gone', { token: ws.key })).status).toBe(400);
  });

  it('404 for unknown ids and another workspace’s articles', async () => {
    const a = (await create(ws.key, { title: 'x', body: 'y' })).body.data;
    for (const id of [UNKNOWN_ID, a.id]) {
      await expectNothingWritten(app, () => app.request('GET', `/api/v1/articles/${id}`, { token: other.key }), 404);
      await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/articles/${id}`, { token: other.key, body: { title: 'z' } }), 404);
      await expectNothingWritten(app, () => app.request('DELETE', `/api/v1/articles/${id}`, { token: other.key }), 404);
    }
  });
});
