import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

/** Per-credential rate limits in Redis (RATE_LIMIT_INBOX_PER_MINUTE / RATE_LIMIT_WORKSPACE_PER_MINUTE). */
describe('rate limiting (e2e)', () => {
  let app: TestApp;
  const LIMIT = 5;

  const newInbox = async () => {
    const ws = await app.createWorkspace(`Limited ${Math.random()}`);
    const inbox = await app.request('POST', '/api/v1/inboxes', { token: ws.key, body: { name: 'Main' } });
    return { ws, key: inbox.body.data.api_key.key as string };
  };
  const intake = (key: string, body: unknown = { email: 'a@example.com', message: 'hi' }) =>
    app.request('POST', '/api/v1/inbox/messages', { token: key, body });

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_INBOX_PER_MINUTE: String(LIMIT), RATE_LIMIT_WORKSPACE_PER_MINUTE: '8' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('past the limit the next request is 429 with Retry-After and RateLimit-* headers; writes nothing', async () => {
    const { key } = await newInbox();
    for (let i = 0; i < LIMIT; i++) {
      const res = await intake(key);
      expect(res.status).toBe(201);
      expect(res.headers.get('ratelimit-limit')).toBe(String(LIMIT));
      expect(res.headers.get('ratelimit-remaining')).toBe(String(LIMIT - i - 1));
      expect(Number(res.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    }
    const position = await app.infrastructure.eventStore.headPosition();
    const limited = await intake(key);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('TOO_MANY_REQUESTS');
    expect(limited.body.error.message).toBe(`Rate limit exceeded: ${LIMIT} requests a minute for this key`);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit-limit')).toBe(String(LIMIT));
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(await app.infrastructure.eventStore.headPosition()).toBe(position);
  });

  it('another workspace (another credential) is not affected', async () => {
    const a = await newInbox();
    const b = await newInbox();
    for (let i = 0; i < LIMIT; i++) await intake(a.key);
    expect((await intake(a.key)).status).toBe(429);
    expect((await intake(b.key)).status).toBe(201);
    // and the workspace key of the limited inbox's workspace has its own budget
    expect((await app.request('GET', '/api/v1/inboxes', { token: a.ws.key })).status).toBe(200);
  });

  it('429 comes before 402 and 413 and 400 (contract order: 401, 429, 402, 413, 400)', async () => {
    const { key } = await newInbox();
    for (let i = 0; i < LIMIT; i++) await intake(key);
    expect((await intake(key, { email: 'bad' })).status).toBe(429);
    expect((await intake(key, { email: 'a@example.com', message: 'x'.repeat(20_001) })).status).toBe(429);
    expect((await intake(`ldi_${'N'.repeat(40)}`)).status).toBe(401);
  });

  it('workspace keys are limited by RATE_LIMIT_WORKSPACE_PER_MINUTE, reads included', async () => {
    const ws = await app.createWorkspace('Workspace limit');
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await app.request('GET', '/api/v1/inboxes', { token: ws.key })).status);
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true); // createWorkspace did not count: admin
    expect(statuses[8]).toBe(429);
  });

  it('the admin token is not limited', async () => {
    for (let i = 0; i < 12; i++) {
      expect((await app.request('GET', '/api/v1/admin/workspaces', { token: app.adminToken })).status).toBe(200);
    }
  });

  it('counts in Redis, so the limit holds across API processes', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(app.infrastructure.redis.url);
    try {
      expect((await redis.keys('ratelimit:*')).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
