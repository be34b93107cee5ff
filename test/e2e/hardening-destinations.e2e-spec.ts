import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { expectNothingWritten } from './helpers-resources';

/**
 * Issue 19: webhook URLs and inbox callback URLs pass one destination check. Every form of an
 * IPv6 address that embeds a private IPv4 address is refused, and a trailing dot changes nothing
 * (`localhost.` is localhost; `example.com.` is example.com), the same way on both endpoints.
 */
describe('hardening: webhook and callback destinations (e2e)', () => {
  let app: TestApp;
  let key: string;

  beforeAll(async () => {
    // Private destinations refused, as in production (the test app allows them by default).
    app = await startApiTestApp({ env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false', RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    key = (await app.createWorkspace('Destinations')).key;
  });
  afterAll(() => app.close());

  const create: Record<string, (url: string) => Promise<TestResponse>> = {
    'POST /webhooks': (url) => app.request('POST', '/api/v1/webhooks', { token: key, body: { url, events: ['*'] } }),
    'POST /inboxes callback_url': (url) => app.request('POST', '/api/v1/inboxes', { token: key, body: { name: 'Cb', callback_url: url } }),
  };
  const field = { 'POST /webhooks': 'url', 'POST /inboxes callback_url': 'callback_url' } as const;

  const refused = [
    'http://[::127.0.0.1]/x', // IPv4-compatible, as written
    'http://[::7f00:1]/x', // IPv4-compatible, hex
    'http://[::a00:1]/x',
    'http://[::ffff:127.0.0.1]/x', // IPv4-mapped
    'http://[::ffff:a9fe:a9fe]/x', // IPv4-mapped 169.254.169.254
    'http://[0:0:0:0:0:ffff:c0a8:0101]/x',
    'http://[64:ff9b::a00:1]/x', // NAT64 of 10.0.0.1
    'http://[64:ff9b::7f00:1]/x',
    'http://[2002:7f00:1::1]/x', // 6to4 of 127.0.0.1
    'http://[2002:c0a8:101::]/x', // 6to4 of 192.168.1.1
    'http://[2001:0:4136:e378:8000:63bf:f5ff:fefe]/x', // Teredo, client 10.0.1.1
    'http://[::1]/x',
    'http://[::]/x',
    'http://localhost./x',
    'http://LOCALHOST../x',
    'http://intranet./x', // a single label, dot or not
    'http://intranet/x',
    'http://127.0.0.1./x',
    'http://metadata.google.internal./x',
    'http://printer.local./x',
  ];

  describe.each(Object.keys(create))('%s', (endpoint) => {
    it.each(refused)('refuses %s with a 400 naming the field, and writes nothing', async (url) => {
      const res = await expectNothingWritten(app, () => create[endpoint](url));
      expect(res.body.error.code).toBe('BAD_REQUEST');
      expect(Object.keys(res.body.error.details)).toEqual([field[endpoint as keyof typeof field]]);
    });

    it.each([
      ['https://example.com./hook', 'https://example.com./hook'],
      ['https://hooks.example.com/x', 'https://hooks.example.com/x'],
      ['http://[2002:808:808::1]/x', 'http://[2002:808:808::1]/x'], // 6to4 of a public address
      ['http://[2606:4700:4700::1111]/x', 'http://[2606:4700:4700::1111]/x'],
    ])('accepts %s', async (url, stored) => {
      const res = await create[endpoint](url);
      expect(res.status).toBe(201);
      expect(res.body.data[field[endpoint as keyof typeof field]]).toBe(stored);
    });
  });

  it('PATCH refuses the same destinations as POST, on both endpoints', async () => {
    const webhook = await create['POST /webhooks']('https://hooks.example.com/patch');
    const inbox = await create['POST /inboxes callback_url']('https://hooks.example.com/patch');
    for (const url of ['http://[::7f00:1]/x', 'http://[2002:c0a8:101::]/x', 'http://localhost./x', 'http://intranet./x']) {
      const patchWebhook = await expectNothingWritten(app, () =>
        app.request('PATCH', `/api/v1/webhooks/${webhook.body.data.id}`, { token: key, body: { url } }),
      );
      expect(Object.keys(patchWebhook.body.error.details)).toEqual(['url']);
      const patchInbox = await expectNothingWritten(app, () =>
        app.request('PATCH', `/api/v1/inboxes/${inbox.body.data.id}`, { token: key, body: { callback_url: url } }),
      );
      expect(Object.keys(patchInbox.body.error.details)).toEqual(['callback_url']);
    }
  });
});
