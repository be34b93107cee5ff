import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { rawRequest } from '../support/raw-request';

/**
 * The router decodes a path (`%61` is `a`), ignores a trailing slash and ends the path at `#`:
 * every hook that judges a request by its path (credentials, the inactive-subscription rule,
 * the client API's session, intake's limits) must judge the route the router matched, so no
 * spelling reaches a route while being judged as another.
 */
describe('hardening: spellings of a path (e2e)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApiTestApp();
  });
  afterAll(() => app.close());

  const raw = (method: string, target: string, token?: string, body?: unknown) => rawRequest(app.baseUrl, method, target, { token, body });

  it('a percent-encoded admin path still needs the admin token', async () => {
    const ws = await app.createWorkspace('Encoded');
    const other = await app.createWorkspace('Other');
    for (const target of ['/%61pi/v1/admin/workspaces', '/api/v1/%61dmin/workspaces', '/api/v1/admin/workspaces/']) {
      expect({ target, status: (await raw('GET', target)).status }).toEqual({ target, status: 401 });
      expect({ target, status: (await raw('GET', target, ws.key)).status }).toEqual({ target, status: 401 });
    }
    const head = await app.infrastructure.eventStore.headPosition();
    expect((await raw('POST', `/api/v1/%61dmin/workspaces/${other.id}/api-keys`, ws.key)).status).toBe(401);
    expect((await raw('POST', '/%61pi/v1/admin/projections/tickets/rebuild')).status).toBe(401);
    expect(await app.infrastructure.eventStore.headPosition()).toBe(head);
    expect((await raw('GET', '/%61pi/v1/admin/workspaces', app.adminToken)).status).toBe(200);
  });

  it('an inactive workspace cannot pass a write off as an allowed one (a `#` or an encoded path)', async () => {
    const ws = await app.createWorkspace('Inactive');
    const deactivated = await app.request('PATCH', `/api/v1/admin/workspaces/${ws.id}`, { token: app.adminToken, body: { subscription_status: 'inactive' } });
    expect(deactivated.status).toBe(200);
    const head = await app.infrastructure.eventStore.headPosition();
    for (const target of ['/api/v1/inboxes/#/api-keys/rotate', '/api/v1/webhooks/#/rotate-secret', '/api/v1/%69nboxes']) {
      const res = await raw('POST', target, ws.key, { name: 'Sneaky', url: 'https://example.com/hook' });
      expect({ target, status: res.status, code: res.body.error?.code }).toEqual({ target, status: 402, code: 'PAYMENT_REQUIRED' });
    }
    expect(await app.infrastructure.eventStore.headPosition()).toBe(head);
  });
});
