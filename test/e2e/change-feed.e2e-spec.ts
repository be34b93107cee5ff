import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

describe('GET /api/v1/events (change feed)', () => {
  let t: TestApp;
  let a: { id: string; key: string };
  let b: { id: string; key: string };
  let ticketA: string;

  const post = async (key: string, path: string, body: unknown) => {
    const res = await t.request('POST', path, { token: key, body });
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000000' } });
    a = await t.createWorkspace('Feed A');
    b = await t.createWorkspace('Feed B');
    // Workspace A: 20 tickets x 48 messages (+ creates and first messages) interleaved with B's writes.
    const ticketsA = [];
    for (let i = 0; i < 20; i++) ticketsA.push((await post(a.key, '/api/v1/tickets', { subject: `A${i}`, description: 'a', customer_email: `a${i}@x.io` })).id);
    ticketA = ticketsA[0];
    const ticketB = (await post(b.key, '/api/v1/tickets', { subject: 'B', description: 'b', customer_email: 'b@x.io' })).id;
    await Promise.all([
      ...ticketsA.map(async (id: string) => {
        for (let m = 0; m < 48; m++) await post(a.key, `/api/v1/tickets/${id}/messages`, { body: `m${m}` });
      }),
      (async () => {
        for (let m = 0; m < 60; m++) await post(b.key, `/api/v1/tickets/${ticketB}/messages`, { body: `b${m}` });
      })(),
    ]);
  }, 120_000);

  afterAll(() => t.close());

  const expected = async (workspaceId: string) => (await t.infrastructure.eventStore.readAll()).filter((e) => e.metadata.workspace_id === workspaceId);

  it.each([100, 37])("pages through 1,000+ events with no gaps or duplicates, never another workspace's (limit %i)", async (limit) => {
    const want = await expected(a.id);
    expect(want.length).toBeGreaterThanOrEqual(1000);
    const got: Array<{ id: string; position: number; metadata: unknown; stream: string }> = [];
    let after = 0;
    for (let pages = 0; ; pages++) {
      const res = await t.request('GET', `/api/v1/events?after=${after}&limit=${limit}`, { token: a.key });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(limit);
      got.push(...res.body.data);
      expect(res.body.meta.next_after).toBeGreaterThanOrEqual(after);
      after = res.body.meta.next_after;
      if (!res.body.meta.has_more) break;
      expect(pages).toBeLessThan(200);
    }
    expect(got.map((e) => e.id)).toEqual(want.map((e) => e.id));
    expect(new Set(got.map((e) => e.id)).size).toBe(got.length);
    const positions = got.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    // Same item shape as GET /tickets/{id}/events.
    const history = await t.request('GET', `/api/v1/tickets/${ticketA}/events`, { token: a.key });
    const first = got.find((e) => e.id === history.body.data[0].id);
    expect(first).toEqual(history.body.data[0]);
    // Nothing of B's, and an empty page at the head keeps the cursor.
    const bIds = new Set((await expected(b.id)).map((e) => e.id));
    expect(got.some((e) => bIds.has(e.id))).toBe(false);
    const tail = await t.request('GET', `/api/v1/events?after=${after}`, { token: a.key });
    expect(tail.body).toEqual({ data: [], meta: { limit: 20, next_after: after, has_more: false } });
  });

  it("filters by type and by stream; another workspace's stream looks empty", async () => {
    const created = await t.request('GET', '/api/v1/events?type=TicketCreated&limit=100', { token: a.key });
    expect(created.body.data).toHaveLength(20);
    expect(created.body.data.every((e: { type: string }) => e.type === 'TicketCreated')).toBe(true);

    const stream = `ticket-${ticketA}`;
    const s1 = await t.request('GET', `/api/v1/events?stream=${stream}&limit=30`, { token: a.key });
    expect(s1.body.data).toHaveLength(30);
    expect(s1.body.meta.has_more).toBe(true);
    const s2 = await t.request('GET', `/api/v1/events?stream=${stream}&limit=100&after=${s1.body.meta.next_after}`, { token: a.key });
    expect(s2.body.data).toHaveLength(20);
    expect([...s1.body.data, ...s2.body.data].map((e: { revision: number }) => e.revision)).toEqual([...Array(50).keys()]);

    const foreign = await t.request('GET', `/api/v1/events?stream=${stream}`, { token: b.key });
    expect(foreign.status).toBe(200);
    expect(foreign.body.data).toEqual([]);
  });

  it('validates the query and needs a workspace key', async () => {
    for (const q of ['after=-1', 'after=abc', 'limit=0', 'limit=101', 'type=bad%20type', 'nope=1']) {
      const res = await t.request('GET', `/api/v1/events?${q}`, { token: a.key });
      expect([q, res.status]).toEqual([q, 400]);
    }
    expect((await t.request('GET', '/api/v1/events')).status).toBe(401);
    expect((await t.request('GET', '/api/v1/events', { token: 'test-admin-token' })).status).toBe(401);
  });
});
