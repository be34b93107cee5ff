import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { UNKNOWN_ID } from './helpers-resources';

/** The inbox's client API part (API.md section 8): public identifier, HMAC token, hmac_mandatory, allowed_origins. */
describe('inboxes: client API settings (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string };
  const api = (method: string, path: string, body?: unknown, token = ws.key) => app.request(method, `/api/v1${path}`, { token, body });

  beforeAll(async () => {
    app = await startApiTestApp();
    ws = await app.createWorkspace('Inbox channel');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('the HMAC token is shown once, sealed in the log, never in a read; every inbox has its own public identifier', async () => {
    const a = await api('POST', '/inboxes', { name: 'A', hmac_mandatory: true, allowed_origins: ['https://a.example.com'] });
    const b = await api('POST', '/inboxes', { name: 'B' });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({
      hmac_mandatory: true,
      allowed_origins: ['https://a.example.com'],
      hmac_token: expect.stringMatching(/^ldh_[A-Za-z0-9]{32}$/),
    });
    expect(a.body.data.public_identifier).not.toBe(b.body.data.public_identifier);
    const token = a.body.data.hmac_token as string;

    const events = await app.infrastructure.eventStore.readStream(`inbox-${a.body.data.id}`);
    expect(JSON.stringify(events)).not.toContain(token);
    expect((events[0].data as { hmac_token: string }).hmac_token).toMatch(/^enc:v1:/);

    const list = await api('GET', '/inboxes');
    const got = await api('GET', `/inboxes/${a.body.data.id}`);
    for (const res of [list, got]) expect(JSON.stringify(res.body)).not.toContain(token);
    expect(got.body.data).toEqual(
      expect.objectContaining({ public_identifier: a.body.data.public_identifier, hmac_mandatory: true, allowed_origins: ['https://a.example.com'] }),
    );
    expect(got.body.data).not.toHaveProperty('hmac_token');
  });

  it("rotating the HMAC token: 201 with a new token, sealed; unknown and other workspaces' inboxes are 404", async () => {
    const inbox = await api('POST', '/inboxes', { name: 'Rotating' });
    const rotated = await api('POST', `/inboxes/${inbox.body.data.id}/hmac-token/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.data.hmac_token).toMatch(/^ldh_[A-Za-z0-9]{32}$/);
    expect(rotated.body.data.hmac_token).not.toBe(inbox.body.data.hmac_token);
    const events = await app.infrastructure.eventStore.readStream(`inbox-${inbox.body.data.id}`);
    expect(events.map((e) => e.type)).toContain('InboxHmacTokenRotated');
    expect(JSON.stringify(events)).not.toContain(rotated.body.data.hmac_token);

    const other = await app.createWorkspace('Other');
    expect((await api('POST', `/inboxes/${inbox.body.data.id}/hmac-token/rotate`, undefined, other.key)).status).toBe(404);
    expect((await api('POST', `/inboxes/${UNKNOWN_ID}/hmac-token/rotate`)).status).toBe(404);
    expect((await api('POST', '/inboxes/not-a-uuid/hmac-token/rotate')).status).toBe(404);
  });

  it('an inactive workspace may still rotate its HMAC token (rotating a key), not change the settings', async () => {
    const lapsing = await app.createWorkspace('Lapsing');
    const inbox = await api('POST', '/inboxes', { name: 'L' }, lapsing.key);
    await app.request('PATCH', `/api/v1/admin/workspaces/${lapsing.id}`, { token: app.adminToken, body: { subscription_status: 'inactive' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await api('POST', `/inboxes/${inbox.body.data.id}/hmac-token/rotate`, undefined, lapsing.key)).status).toBe(201);
    expect((await api('PATCH', `/inboxes/${inbox.body.data.id}`, { hmac_mandatory: true }, lapsing.key)).status).toBe(402);
  });
});
