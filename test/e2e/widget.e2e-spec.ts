import { gzipSync } from 'node:zlib';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** GET /widget.js and GET /widget/demo (API.md section 11) over HTTP. */
describe('website widget serving (e2e)', () => {
  let app: TestApp;
  let inbox: { id: string; public_identifier: string };
  let key: string;

  beforeAll(async () => {
    app = await startApiTestApp();
    ({ key } = await app.createWorkspace('Widget'));
    const res = await app.request('POST', '/api/v1/inboxes', { token: key, body: { name: 'Website <chat> & "more"' } });
    expect(res.status).toBe(201);
    inbox = res.body.data;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves a minified bundle with no credential, cache headers and an ETag, under 25 KB gzipped', async () => {
    const res = await fetch(`${app.baseUrl}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeGreaterThan(1000);
    expect(gzipSync(body).length).toBeLessThanOrEqual(25 * 1024);
    // Minified: no comment survives, and the code of the TypeScript sources is in it.
    expect(body.toString()).not.toMatch(/\/\*\*/);
    expect(body.toString()).toContain('/public/api/v1/inboxes/');
    expect(body.toString()).toContain('Idempotency-Key');

    const again = await fetch(`${app.baseUrl}/widget.js`);
    expect(again.headers.get('etag')).toBe(etag);
    expect(Buffer.from(await again.arrayBuffer()).equals(body)).toBe(true);
  });

  it('answers 304 with no body when If-None-Match names the current ETag', async () => {
    const etag = (await fetch(`${app.baseUrl}/widget.js`)).headers.get('etag')!;
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const res = await fetch(`${app.baseUrl}/widget.js`, { headers: { 'If-None-Match': ifNoneMatch } });
      expect({ ifNoneMatch, status: res.status }).toEqual({ ifNoneMatch, status: 304 });
      expect(res.headers.get('etag')).toBe(etag);
      expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
      expect(await res.text()).toBe('');
    }
    const stale = await fetch(`${app.baseUrl}/widget.js`, { headers: { 'If-None-Match': '"stale"' } });
    expect(stale.status).toBe(200);
  });

  it('GET /widget/demo embeds the widget for an existing inbox, the inbox name escaped', async () => {
    const res = await fetch(`${app.baseUrl}/widget/demo?inbox=${inbox.public_identifier}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain(`<script src="/widget.js" data-inbox="${inbox.public_identifier}" async></script>`);
    expect(html).toContain('Website &lt;chat&gt; &amp; &quot;more&quot;');
    expect(html).not.toContain('<chat>');
  });

  it('GET /widget/demo refuses a missing, malformed or repeated inbox with 400, an unknown or disabled one with 404', async () => {
    for (const query of ['', '?inbox=', '?inbox=%3Cscript%3Ealert(1)%3C/script%3E', `?inbox=${inbox.public_identifier}x`, `?inbox=a&inbox=b`]) {
      const res = await app.request('GET', `/widget/demo${query}`);
      expect({ query, status: res.status, code: res.body?.error?.code }).toEqual({ query, status: 400, code: 'BAD_REQUEST' });
      expect(res.body.error.details).toEqual({ inbox: expect.any(Array) });
      expect(JSON.stringify(res.body)).not.toContain('<script>');
    }
    const unknown = await app.request('GET', `/widget/demo?inbox=ldp_${'A'.repeat(24)}`);
    expect({ status: unknown.status, code: unknown.body?.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });

    const other = await app.request('POST', '/api/v1/inboxes', { token: key, body: { name: 'Closed' } });
    await app.request('PATCH', `/api/v1/inboxes/${other.body.data.id}`, { token: key, body: { enabled: false } });
    const disabled = await app.request('GET', `/widget/demo?inbox=${other.body.data.public_identifier}`);
    expect(disabled.status).toBe(404);
  });

  it('is public and stays out of the /api/v1 OpenAPI document', async () => {
    const doc = await app.request('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths).filter((path) => path.includes('widget'))).toEqual([]);
    const res = await fetch(`${app.baseUrl}/widget.js`, { headers: { Authorization: 'Bearer ldk_not-a-key' } });
    expect(res.status).toBe(200);
  });
});
