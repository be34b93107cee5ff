import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID, createTicket, expectNothingWritten } from './helpers-resources';

/** API.md section 8 (contacts and their sessions) over the workspace API, and section 6's customers. */
let app: TestApp;
let ws: { id: string; key: string };
let other: { id: string; key: string };
let inboxId: string;
let otherInboxId: string;

const SOURCE_ID = /^lds_[A-Za-z0-9]{32}$/;
const api = (method: string, path: string, body?: unknown, key = ws.key) => app.request(method, `/api/v1${path}`, { token: key, body });
const newInbox = async (key: string, name: string) => {
  const res = await api('POST', '/inboxes', { name }, key);
  if (res.status !== 201) throw new Error(`inbox: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
};

beforeAll(async () => {
  app = await startApiTestApp();
  ws = await app.createWorkspace('Channel contacts A');
  other = await app.createWorkspace('Channel contacts B');
  inboxId = await newInbox(ws.key, 'API channel');
  otherInboxId = await newInbox(other.key, 'Their API channel');
});
afterAll(() => app.close());

describe('call 1: create a contact on an inbox (e2e)', () => {
  it('as the seed does it: POST /customers with inbox_id and name/email answers contact_inboxes with its source_id at once', async () => {
    const res = await api('POST', '/customers', { inbox_id: inboxId, name: 'Contact', email: 'contact@example.com' });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ email: 'contact@example.com', name: 'Contact', identifier: null, claimed_email: null });
    expect(res.body.data.contact_inboxes).toEqual([
      { inbox_id: inboxId, source_id: expect.stringMatching(SOURCE_ID), hmac_verified: false, created_at: expect.any(String) },
    ]);
    // The read model lists the same session.
    const got = await api('GET', `/customers/${res.body.data.id}`);
    expect(got.body.data.contact_inboxes).toEqual(res.body.data.contact_inboxes);
  });

  it('a second session of the customer: POST /customers/{id}/contact-inboxes answers 201 with a new source_id; the customer lists both', async () => {
    const customer = (await api('POST', '/customers', { inbox_id: inboxId, name: 'Two sessions' })).body.data;
    const res = await api('POST', `/customers/${customer.id}/contact-inboxes`, { inbox_id: inboxId });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-log-position')).toMatch(/^\d+$/);
    expect(res.body).toEqual({
      data: { inbox_id: inboxId, source_id: expect.stringMatching(SOURCE_ID), hmac_verified: false, created_at: expect.any(String) },
    });
    expect(res.body.data.source_id).not.toBe(customer.contact_inboxes[0].source_id);
    const sources = (await api('GET', `/customers/${customer.id}`)).body.data.contact_inboxes.map((s: { source_id: string }) => s.source_id);
    expect(sources.sort()).toEqual([customer.contact_inboxes[0].source_id, res.body.data.source_id].sort());
  });

  it('an unknown or another workspace’s inbox_id is the same 400 naming inbox_id, and nothing is written', async () => {
    for (const bad of [UNKNOWN_ID, otherInboxId, 'not-a-uuid']) {
      const res = await expectNothingWritten(app, () => api('POST', '/customers', { inbox_id: bad, email: `nobody-${bad}@example.com` }), 400);
      expect(res.body.error.details.inbox_id).toEqual(expect.any(Array));
    }
    // The email stays free: the customer was not created.
    expect((await api('POST', '/customers', { email: `nobody-${UNKNOWN_ID}@example.com` })).status).toBe(201);
    const customer = (await api('POST', '/customers', { name: 'Has no session' })).body.data;
    for (const bad of [UNKNOWN_ID, otherInboxId]) {
      const res = await expectNothingWritten(app, () => api('POST', `/customers/${customer.id}/contact-inboxes`, { inbox_id: bad }), 400);
      expect(res.body.error.details.inbox_id).toEqual(expect.any(Array));
    }
    await expectNothingWritten(app, () => api('POST', `/customers/${customer.id}/contact-inboxes`, {}), 400);
    await expectNothingWritten(app, () => api('POST', `/customers/${customer.id}/contact-inboxes`, { inbox_id: inboxId, extra: 1 }), 400);
  });

  it('contact-inboxes of an unknown, erased or another workspace’s customer: 404, nothing written', async () => {
    const theirs = (await api('POST', '/customers', { email: 'theirs@example.com' }, other.key)).body.data;
    await expectNothingWritten(app, () => api('POST', `/customers/${theirs.id}/contact-inboxes`, { inbox_id: inboxId }), 404);
    await expectNothingWritten(app, () => api('POST', `/customers/${UNKNOWN_ID}/contact-inboxes`, { inbox_id: inboxId }), 404);
    await expectNothingWritten(app, () => api('POST', '/customers/not-a-uuid/contact-inboxes', { inbox_id: inboxId }), 404);
    const erased = (await api('POST', '/customers', { email: 'erased-contact@example.com' })).body.data;
    expect((await api('DELETE', `/customers/${erased.id}`)).status).toBe(204);
    await expectNothingWritten(app, () => api('POST', `/customers/${erased.id}/contact-inboxes`, { inbox_id: inboxId }), 404);
  });

  it('a clash on the email with inbox_id is a 409 that opens no session', async () => {
    await api('POST', '/customers', { email: 'clash-session@example.com' });
    await expectNothingWritten(app, () => api('POST', '/customers', { inbox_id: inboxId, email: 'Clash-Session@example.com' }), 409);
  });
});

describe('customers: optional email, identifier, claimed_email (e2e)', () => {
  it('a customer without email; several of them coexist; email and identifier are null; but not one of nothing at all', async () => {
    const empty = await expectNothingWritten(app, () => api('POST', '/customers', {}), 400);
    expect(empty.body.error.details.email).toEqual(expect.any(Array));
    const a = await api('POST', '/customers', { name: 'No email A' });
    const b = await api('POST', '/customers', { phone: '+1 555 0100' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.data).toMatchObject({ email: null, name: 'No email A', identifier: null, claimed_email: null, contact_inboxes: [] });
    expect(b.body.data.id).not.toBe(a.body.data.id);
    // It can get an email later, which is then unique as usual.
    const patched = await api('PATCH', `/customers/${a.body.data.id}`, { email: 'Later@Example.com' });
    expect(patched.body.data.email).toBe('later@example.com');
    await expectNothingWritten(app, () => api('POST', '/customers', { email: 'later@example.com' }), 409);
    // A ticket naming that email lands on this customer.
    const t = await createTicket(app, ws.key, { customer_email: 'LATER@example.com' });
    expect(t.customer_id).toBe(a.body.data.id);
  });

  it('identifier: unique per workspace (409 naming identifier, nothing written), on POST and PATCH; free in another workspace', async () => {
    const first = await api('POST', '/customers', { identifier: 'user_42', email: 'u42@example.com' });
    expect(first.status).toBe(201);
    expect(first.body.data.identifier).toBe('user_42');
    const clash = await expectNothingWritten(app, () => api('POST', '/customers', { identifier: 'user_42', email: 'someone-else@example.com' }), 409);
    expect(clash.body.error.details.identifier).toEqual(expect.any(Array));
    // The email of the refused request was not taken.
    expect((await api('POST', '/customers', { email: 'someone-else@example.com' })).status).toBe(201);
    await expectNothingWritten(app, () => api('POST', '/customers', { identifier: 'user_42' }), 409);
    const second = (await api('POST', '/customers', { identifier: 'user_43' })).body.data;
    const patchClash = await expectNothingWritten(app, () => api('PATCH', `/customers/${second.id}`, { identifier: 'user_42' }), 409);
    expect(patchClash.body.error.details.identifier).toEqual(expect.any(Array));
    expect((await api('POST', '/customers', { identifier: 'user_42' }, other.key)).status).toBe(201);
    // Identifiers compare exactly.
    expect((await api('POST', '/customers', { identifier: 'USER_42' })).status).toBe(201);
  });

  it('identifier: changing or clearing it frees the old one; erasing the customer frees it too', async () => {
    const c = (await api('POST', '/customers', { identifier: 'move-from' })).body.data;
    const moved = await api('PATCH', `/customers/${c.id}`, { identifier: 'move-to' });
    expect(moved.status).toBe(200);
    expect(moved.body.data.identifier).toBe('move-to');
    expect((await api('POST', '/customers', { identifier: 'move-from' })).status).toBe(201);
    const cleared = await api('PATCH', `/customers/${c.id}`, { identifier: null });
    expect(cleared.body.data.identifier).toBeNull();
    expect((await api('POST', '/customers', { identifier: 'move-to' })).status).toBe(201);

    const erased = (await api('POST', '/customers', { identifier: 'erase-me' })).body.data;
    expect((await api('DELETE', `/customers/${erased.id}`)).status).toBe(204);
    const again = await api('POST', '/customers', { identifier: 'erase-me' });
    expect(again.status).toBe(201);
    expect(again.body.data.id).not.toBe(erased.id);
  });

  it('validation: 400 with field details, nothing written', async () => {
    for (const body of [
      { identifier: '' },
      { identifier: '   ' },
      { identifier: 'x'.repeat(256) },
      { identifier: 42 },
      { email: null },
      { claimed_email: 'x@example.com' },
    ]) {
      const res = await expectNothingWritten(app, () => api('POST', '/customers', body), 400);
      expect(Object.keys(res.body.error.details).length).toBeGreaterThan(0);
    }
    const c = (await api('POST', '/customers', { name: 'Validated' })).body.data;
    await expectNothingWritten(app, () => api('PATCH', `/customers/${c.id}`, { identifier: '' }), 400);
    await expectNothingWritten(app, () => api('PATCH', `/customers/${c.id}`, { identifier: 'y'.repeat(256) }), 400);
  });
});
