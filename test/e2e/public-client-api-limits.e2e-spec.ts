import { randomBytes } from 'node:crypto';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';
import { rawRequest } from '../support/raw-request';

/** Client API rate limits (API.md section 9): contact creation per client address, other calls per session. */
describe('public client API rate limits (e2e)', () => {
  let app: TestApp;
  let publicIdentifier: string;
  const PUBLIC_LIMIT = 3;
  const CONTACT_LIMIT = 5;
  const SHOP = 'https://shop.example.com';
  const pub = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(method, `/public/api/v1/inboxes/${publicIdentifier}${path}`, { body, headers });

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_PUBLIC_PER_MINUTE: String(PUBLIC_LIMIT), RATE_LIMIT_CONTACT_PER_MINUTE: String(CONTACT_LIMIT) } });
    const ws = await app.createWorkspace('Limits');
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Chat', allowed_origins: [SHOP] } });
    publicIdentifier = inbox.body.data.public_identifier;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('contact creation past RATE_LIMIT_PUBLIC_PER_MINUTE is 429 with Retry-After and RateLimit-*; writes nothing; an allowed origin still gets CORS', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < PUBLIC_LIMIT; i++) {
      const res = await pub('POST', '/contacts', { name: `c${i}` });
      expect(res.status).toBe(201);
      expect(res.headers.get('ratelimit-limit')).toBe(String(PUBLIC_LIMIT));
      sessions.push(res.body.data.source_id);
    }
    const before = await app.infrastructure.eventStore.headPosition();
    const limited = await pub('POST', '/contacts', { name: 'one too many' }, { Origin: SHOP });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_REQUESTS');
    // The client API has no key: the message names what was limited.
    expect(limited.body.error.message).toBe(`Rate limit exceeded: ${PUBLIC_LIMIT} contact creations a minute from this client address`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(await app.infrastructure.eventStore.headPosition()).toBe(before);

    // A session has its own budget, per session.
    const [a, b] = sessions;
    for (let i = 0; i < CONTACT_LIMIT; i++) expect((await pub('GET', `/contacts/${a}`)).status).toBe(200);
    const sessionLimited = await pub('GET', `/contacts/${a}`);
    expect(sessionLimited.status).toBe(429);
    expect(sessionLimited.headers.get('ratelimit-limit')).toBe(String(CONTACT_LIMIT));
    expect(sessionLimited.body.error.message).toBe(`Rate limit exceeded: ${CONTACT_LIMIT} requests a minute for this contact session`);
    expect(Number(sessionLimited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await pub('GET', `/contacts/${b}`)).status).toBe(200);

    // A contact creation spelled as a session call (`#` ends the path for the router) is still one.
    const before2 = await app.infrastructure.eventStore.headPosition();
    for (const n of [1, 2]) {
      const spelled = await rawRequest(app.baseUrl, 'POST', `/public/api/v1/inboxes/${publicIdentifier}/contacts/#${n}`, { body: { name: 'spelled' } });
      expect(spelled.status).toBe(429);
    }
    expect(await app.infrastructure.eventStore.headPosition()).toBe(before2);
  });

  it('a made-up source_id gets no budget of its own: such calls count against the client address, and are not deduplicated', async () => {
    const madeUp = () => `lds_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x').slice(0, 32)}`;
    // The same key and body twice: two answers, neither kept nor replayed.
    const sourceId = madeUp();
    for (let i = 0; i < 2; i++) {
      const res = await pub('POST', `/contacts/${sourceId}/conversations`, {}, { 'Idempotency-Key': 'made-up-1' });
      expect({ status: res.status, replayed: res.headers.get('idempotent-replayed') }).toEqual({ status: 404, replayed: null });
    }
    for (let i = 2; i < CONTACT_LIMIT; i++) expect((await pub('GET', `/contacts/${madeUp()}`)).status).toBe(404);
    const limited = await pub('GET', `/contacts/${madeUp()}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-limit')).toBe(String(CONTACT_LIMIT));
    expect(limited.body.error.message).toBe(`Rate limit exceeded: ${CONTACT_LIMIT} requests a minute from this client address`);
  });

  it('a disallowed origin is 403 before the rate limit (the origin check comes first)', async () => {
    const res = await pub('POST', '/contacts', {}, { Origin: 'https://evil.example.com' });
    expect(res.status).toBe(403);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
  });
});
