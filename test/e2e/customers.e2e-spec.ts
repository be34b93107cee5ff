import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, createTicket, expectNothingWritten } from './helpers-resources';

let app: TestApp;
let ws: { id: string; key: string; keyId: string };
let other: { id: string; key: string };

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Customers A');
  other = await app.createWorkspace('Customers B');
});
afterAll(() => app.close());

const create = (key: string, body: unknown) => app.request('POST', '/api/v1/customers', { token: key, body });

describe('customers', () => {
  it('CRUD, with ticket_count', async () => {
    const res = await create(ws.key, { email: 'John@Example.com', name: 'John Doe', phone: '+1-555-0123', company: 'Acme Inc' });
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      id: expect.any(String),
      email: 'john@example.com',
      name: 'John Doe',
      phone: '+1-555-0123',
      company: 'Acme Inc',
      identifier: null,
      claimed_email: null,
      custom_fields: {},
      ticket_count: 0,
      contact_inboxes: [],
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const id = res.body.data.id;
    const t = await createTicket(app, ws.key, { customer_email: 'JOHN@example.com' });
    expect(t.customer_id).toBe(id);
    expect((await app.request('GET', `/api/v1/customers/${id}`, { token: ws.key })).body.data.ticket_count).toBe(1);
    const patched = await app.request('PATCH', `/api/v1/customers/${id}`, { token: ws.key, body: { company: 'Acme Corp', custom_fields: { tier: 'gold' } } });
    expect(patched.body.data).toMatchObject({ company: 'Acme Corp', custom_fields: { tier: 'gold' } });
    expect((await app.request('GET', `/api/v1/tickets/${t.id}`, { token: ws.key })).body.data.customer.company).toBe('Acme Corp');
  });

  it('409 when the email exists (case-insensitive), also on PATCH', async () => {
    await create(ws.key, { email: 'taken@example.com' });
    await expectNothingWritten(app, () => create(ws.key, { email: 'TAKEN@example.com' }), 409);
    const b = (await create(ws.key, { email: 'b@example.com' })).body.data;
    await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/customers/${b.id}`, { token: ws.key, body: { email: 'Taken@Example.com' } }), 409);
    // an email of another workspace is free here
    expect((await create(other.key, { email: 'taken@example.com' })).status).toBe(201);
  });

  it('changing the email frees the old one and keeps tickets on the customer', async () => {
    const c = (await create(ws.key, { email: 'move-from@example.com' })).body.data;
    const patched = await app.request('PATCH', `/api/v1/customers/${c.id}`, { token: ws.key, body: { email: 'move-to@example.com' } });
    expect(patched.body.data.email).toBe('move-to@example.com');
    const t = await createTicket(app, ws.key, { customer_email: 'move-to@example.com' });
    expect(t.customer_id).toBe(c.id);
    const fresh = await create(ws.key, { email: 'move-from@example.com' });
    expect(fresh.status).toBe(201);
    expect(fresh.body.data.id).not.toBe(c.id);
  });

  it('filters: email, search, phone; order and cursor', async () => {
    const w = await app.createWorkspace('Customers filters');
    await create(w.key, { email: 'alice@one.com', name: 'Alice Smith', phone: '111' });
    await create(w.key, { email: 'bob@two.com', name: 'Bob Jones', phone: '222' });
    await create(w.key, { email: 'carol@one.com', name: 'Carol Smith', phone: '111' });
    const emails = async (q: string) => (await app.request('GET', `/api/v1/customers?${q}`, { token: w.key })).body.data.map((c: { email: string }) => c.email);
    expect(await emails('email=BOB@two.com')).toEqual(['bob@two.com']);
    expect(await emails('search=smith&order_by=email&order_dir=asc')).toEqual(['alice@one.com', 'carol@one.com']);
    expect(await emails('search=ONE.COM&order_by=email&order_dir=desc')).toEqual(['carol@one.com', 'alice@one.com']);
    expect(await emails('phone=111&order_by=email&order_dir=asc')).toEqual(['alice@one.com', 'carol@one.com']);
    const p1 = await app.request('GET', '/api/v1/customers?limit=2&order_by=email&order_dir=asc', { token: w.key });
    expect(p1.body.meta).toMatchObject({ limit: 2, total: 3 });
    const p2 = await app.request('GET', `/api/v1/customers?limit=2&order_by=email&order_dir=asc&cursor=${p1.body.meta.next_cursor}`, { token: w.key });
    expect([...p1.body.data, ...p2.body.data].map((c: { email: string }) => c.email)).toEqual(['alice@one.com', 'bob@two.com', 'carol@one.com']);
    expect((await app.request('GET', '/api/v1/customers?order_by=phone', { token: w.key })).status).toBe(400);
    expect((await app.request('GET', '/api/v1/customers?limit=0', { token: w.key })).status).toBe(400);
  });

  it('pages by email over customers without one: each exactly once, those without first ascending and last descending', async () => {
    const w = await app.createWorkspace('Customers without email');
    for (const body of [{ email: 'e1@x.com' }, { name: 'anon1' }, { email: 'e3@x.com' }, { name: 'anon2' }, { email: 'e2@x.com' }]) {
      expect((await create(w.key, body)).status).toBe(201);
    }
    const label = (c: { email: string | null; name: string | null }) => (c.email ?? c.name) as string;
    for (const dir of ['asc', 'desc'] as const) {
      const all = (await app.request('GET', `/api/v1/customers?limit=100&order_by=email&order_dir=${dir}`, { token: w.key })).body.data.map(label);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { data: Array<{ email: string | null; name: string | null }>; meta: { next_cursor: string | null; total: number } } } =
          await app.request('GET', `/api/v1/customers?limit=1&order_by=email&order_dir=${dir}${cursor ? `&cursor=${cursor}` : ''}`, { token: w.key });
        expect(page.body.meta.total).toBe(5);
        paged.push(...page.body.data.map(label));
        cursor = page.body.meta.next_cursor;
      } while (cursor && paged.length < 10);
      expect(paged).toEqual(all);
      const withEmail = dir === 'asc' ? paged.slice(2) : paged.slice(0, 3);
      expect(withEmail).toEqual(dir === 'asc' ? ['e1@x.com', 'e2@x.com', 'e3@x.com'] : ['e3@x.com', 'e2@x.com', 'e1@x.com']);
      expect(new Set(paged).size).toBe(5);
    }
  });

  it('validation: 400, nothing written', async () => {
    for (const body of [
      {},
      { email: 'nope' },
      { email: 'a@b.co', name: '' },
      { email: 'a@b.co', phone: 5 },
      { email: 'a@b.co', custom_fields: [] },
      { email: 'a@b.co', x: 1 },
    ]) {
      await expectNothingWritten(app, () => create(ws.key, body));
    }
    const c = (await create(ws.key, { email: 'valid@example.com' })).body.data;
    for (const body of [{ email: 'nope' }, { name: 'x'.repeat(121) }, { x: 1 }]) {
      await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/customers/${c.id}`, { token: ws.key, body }));
    }
  });

  it('404 for unknown ids and another workspace’s customers', async () => {
    const c = (await create(ws.key, { email: 'mine@example.com' })).body.data;
    for (const id of [UNKNOWN_ID, c.id]) {
      await expectNothingWritten(app, () => app.request('GET', `/api/v1/customers/${id}`, { token: other.key }), 404);
      await expectNothingWritten(app, () => app.request('PATCH', `/api/v1/customers/${id}`, { token: other.key, body: { name: 'x' } }), 404);
      await expectNothingWritten(app, () => app.request('DELETE', `/api/v1/customers/${id}`, { token: other.key }), 404);
    }
  });

  it('delete erases name, email, phone and company from every read model and records who asked', async () => {
    const w = await app.createWorkspace('Erasure');
    const c = (await create(w.key, { email: 'erase.me@example.com', name: 'Erin Erasable', phone: '+44-777', company: 'Secretco' })).body.data;
    const t1 = await createTicket(app, w.key, { customer_email: 'erase.me@example.com', customer_name: 'Erin Erasable' });
    const t2 = await createTicket(app, w.key, { customer_email: 'erase.me@example.com' });
    const del = await app.request('DELETE', `/api/v1/customers/${c.id}`, { token: w.key, headers: { 'x-request-id': 'gdpr-1' } });
    expect(del.status).toBe(204);

    const placeholder = { id: c.id, name: null, email: null, company: null, erased: true };
    const responses = [
      await app.request('GET', `/api/v1/customers/${c.id}`, { token: w.key }),
      await app.request('GET', '/api/v1/customers?limit=100', { token: w.key }),
      await app.request('GET', '/api/v1/customers?search=erase', { token: w.key }),
      await app.request('GET', `/api/v1/tickets/${t1.id}`, { token: w.key }),
      await app.request('GET', `/api/v1/tickets/${t2.id}`, { token: w.key }),
      await app.request('GET', '/api/v1/tickets?limit=100', { token: w.key }),
      await app.request('GET', `/api/v1/tickets/${t1.id}/events`, { token: w.key }),
      await app.request('GET', '/api/v1/conversations?limit=100', { token: w.key }),
      // The change feed serves the same history: customer events, email claims, tickets.
      await app.request('GET', '/api/v1/events?limit=100', { token: w.key }),
      await app.request('GET', `/api/v1/events?limit=100&stream=customer-${c.id}`, { token: w.key }),
    ];
    expect(responses[0].status).toBe(404);
    for (const res of responses) {
      const text = JSON.stringify(res.body);
      for (const secret of ['erase.me', 'Erin', 'Erasable', '+44-777', 'Secretco']) expect(text).not.toContain(secret);
    }
    expect(responses[9].body.data.length).toBeGreaterThan(0);
    expect(responses[3].body.data.customer).toEqual(placeholder);
    expect(responses[5].body.data.map((t: { customer: unknown }) => t.customer)).toEqual([placeholder, placeholder]);
    expect((await app.request('DELETE', `/api/v1/customers/${c.id}`, { token: w.key })).status).toBe(404);

    const events = await app.infrastructure.eventStore.readStream(`customer-${c.id}`);
    const deleted = events[events.length - 1];
    expect(deleted.type).toBe('CustomerDeleted');
    expect(deleted.data).toMatchObject({ customer_id: c.id, requested_by: { type: 'api_key' } });
    expect(deleted.metadata).toMatchObject({ request_id: 'gdpr-1', actor: { type: 'api_key' } });

    // the email can be used again: a new customer
    const again = await createTicket(app, w.key, { customer_email: 'erase.me@example.com' });
    expect(again.customer_id).not.toBe(c.id);
  });
});
