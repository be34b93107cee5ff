import { randomUUID } from 'node:crypto';
import type { TestApp, TestResponse } from '@ledgerdesk/testing';
import { SqliteEventStore } from '@ledgerdesk/event-store';
import { startApiTestApp } from '../support/api-test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = { id: string; [field: string]: any };

const NOT_DATE = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

/** API.md sections 0 and 4 over real HTTP: create, read, messages, history, listing. */
describe('tickets (e2e)', () => {
  let app: TestApp;
  let ws: { id: string; key: string; keyId: string };
  let other: { id: string; key: string; keyId: string };

  const newTicket = (overrides: Record<string, unknown> = {}) => ({
    subject: 'Printer is on fire',
    description: 'Smoke everywhere since this morning.',
    customer_email: 'jane@example.com',
    customer_name: 'Jane Doe',
    ...overrides,
  });
  const as = (key: string) => ({
    get: (path: string, headers?: Record<string, string>) => app.request('GET', `/api/v1${path}`, { token: key, headers }),
    post: (path: string, body: unknown, headers?: Record<string, string>) => app.request('POST', `/api/v1${path}`, { token: key, body, headers }),
  });
  const create = async (key: string, overrides: Record<string, unknown> = {}) => {
    const res = await as(key).post('/tickets', newTicket(overrides));
    expect(res.status).toBe(201);
    return res.body.data;
  };
  const expectEnvelope = (res: TestResponse, status: number, code: string) => {
    expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
    expect(typeof res.body.error.message).toBe('string');
    expect(res.body.error.details).toEqual(expect.any(Object));
  };

  beforeAll(async () => {
    app = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    ws = await app.createWorkspace('Tickets A');
    other = await app.createWorkspace('Tickets B');
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('POST /tickets', () => {
    it('creates tickets numbered from 1001 with a log position, echoing a valid X-Request-Id', async () => {
      const first = await as(ws.key).post('/tickets', newTicket({ priority: 'high', tags: ['billing', 'billing', 'vip'] }), {
        'x-request-id': 'client-req.42_A',
      });
      expect(first.status).toBe(201);
      expect(first.headers.get('x-request-id')).toBe('client-req.42_A');
      expect(first.headers.get('x-log-position')).toMatch(/^\d+$/);
      expect(first.body.data).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        ticket_number: 1001,
        subject: 'Printer is on fire',
        description: 'Smoke everywhere since this morning.',
        status: 'new',
        priority: 'high',
        source: 'api',
        inbox_id: null,
        assignee_id: null,
        tags: ['billing', 'vip'],
        custom_fields: {},
        merged_into_id: null,
        message_count: 1,
        customer: { name: 'Jane Doe', email: 'jane@example.com' },
      });
      expect(first.body.data.customer.id).toBe(first.body.data.customer_id);
      expect(new Date(first.body.data.created_at).toISOString()).toBe(first.body.data.created_at);

      const second = await as(ws.key).post('/tickets', newTicket(), { 'x-request-id': 'not valid!' });
      expect(second.status).toBe(201);
      expect(second.body.data.ticket_number).toBe(1002);
      expect(second.body.data.priority).toBe('medium');
      expect(second.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(Number(second.headers.get('x-log-position'))).toBeGreaterThan(Number(first.headers.get('x-log-position')));

      // A too-long request id is replaced too.
      const third = await as(ws.key).get('/tickets', { 'x-request-id': 'a'.repeat(129) });
      expect(third.headers.get('x-request-id')).not.toBe('a'.repeat(129));
      expect(third.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('racing creations, new customers and one shared among them: numbers follow on without gaps or repeats, one customer per email, one commit per ticket', async () => {
      const fresh = await app.createWorkspace('Tickets racing');
      const store = app.infrastructure.eventStore as SqliteEventStore;
      const shared = `shared-${randomUUID()}@example.com`;
      const emails = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? shared : `racer-${i}-${randomUUID()}@example.com`));
      const batches = store.committedBatches;
      const created = await Promise.all(emails.map((email) => as(fresh.key).post('/tickets', newTicket({ customer_email: email }))));
      expect(created.map((res) => res.status)).toEqual(emails.map(() => 201));
      const numbers = created.map((res) => res.body.data.ticket_number as number).sort((a, b) => a - b);
      expect(numbers).toEqual(emails.map((_, i) => 1001 + i));
      const sharedCustomers = new Set(created.filter((res) => res.body.data.customer.email === shared).map((res) => res.body.data.customer_id));
      expect(sharedCustomers.size).toBe(1);
      // Group commits join concurrent creations: never more than one commit per ticket.
      expect(store.committedBatches - batches).toBeLessThanOrEqual(emails.length);
      // Alone, a new customer's ticket is one commit: its email's claim, the customer, the number and the ticket.
      const alone = store.committedBatches;
      await create(fresh.key, { customer_email: `alone-${randomUUID()}@example.com` });
      expect(store.committedBatches - alone).toBe(1);
    });

    it('finds the customer by email case-insensitively', async () => {
      const a = await create(ws.key, { customer_email: 'Case.Test@Example.COM' });
      const b = await create(ws.key, { customer_email: 'case.test@example.com' });
      expect(b.customer_id).toBe(a.customer_id);
      // Another workspace gets its own customer for the same email.
      const c = await create(other.key, { customer_email: 'case.test@example.com' });
      expect(c.customer_id).not.toBe(a.customer_id);
    });

    const longEmail = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.com`;
    const invalidBodies: Array<[string, unknown, string | null]> = [
      ['subject missing', { ...newTicket(), subject: undefined }, 'subject'],
      ['subject empty', newTicket({ subject: '' }), 'subject'],
      ['subject over 300', newTicket({ subject: 's'.repeat(301) }), 'subject'],
      ['description missing', { ...newTicket(), description: undefined }, 'description'],
      ['description empty', newTicket({ description: '' }), 'description'],
      ['description over 20000', newTicket({ description: 'd'.repeat(20_001) }), 'description'],
      ['customer_email missing', { ...newTicket(), customer_email: undefined }, 'customer_email'],
      ['customer_email invalid', newTicket({ customer_email: 'not-an-email' }), 'customer_email'],
      ['customer_email over 255', newTicket({ customer_email: longEmail }), 'customer_email'],
      ['customer_name empty', newTicket({ customer_name: '' }), 'customer_name'],
      ['customer_name over 120', newTicket({ customer_name: 'n'.repeat(121) }), 'customer_name'],
      ['priority outside the enum', newTicket({ priority: 'critical' }), 'priority'],
      ['more than 20 tags', newTicket({ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }), 'tags'],
      ['tags not an array', newTicket({ tags: 'billing' }), 'tags'],
      ['unknown field', newTicket({ ticket_number: 7 }), 'ticket_number'],
      ['subject of the wrong type', newTicket({ subject: 42 }), 'subject'],
      ['inbox_id not a uuid', newTicket({ inbox_id: 'inbox-1' }), 'inbox_id'],
      ['inbox_id unknown', newTicket({ inbox_id: randomUUID() }), 'inbox_id'],
      ['assignee_id unknown', newTicket({ assignee_id: randomUUID() }), 'assignee_id'],
      ['a JSON array', [newTicket()], null],
      ['JSON null', 'null', null],
    ];

    it.each(invalidBodies)('rejects %s with 400 and field details, writing nothing', async (_label, body, field) => {
      const totalBefore = (await as(ws.key).get('/tickets')).body.meta.total;
      const headBefore = await app.infrastructure.eventStore.headPosition();

      const res = await as(ws.key).post('/tickets', body);

      expectEnvelope(res, 400, 'BAD_REQUEST');
      if (field) expect(Object.keys(res.body.error.details)).toContain(field);
      expect(await app.infrastructure.eventStore.headPosition()).toBe(headBefore);
      expect((await as(ws.key).get('/tickets')).body.meta.total).toBe(totalBefore);
    });

    it('names the fields left out as required, not by the checks their missing values fail', async () => {
      const res = await as(ws.key).post('/tickets', { description: 'Smoke everywhere.' });
      expectEnvelope(res, 400, 'BAD_REQUEST');
      expect(res.body.error.details).toEqual({ subject: ['subject is required'], customer_email: ['customer_email is required'] });
      // A field given with a wrong value is still told what is wrong with it.
      const wrong = await as(ws.key).post('/tickets', newTicket({ customer_email: 'not-an-email' }));
      expect(wrong.body.error.details).toEqual({ customer_email: ['customer_email must be an email'] });
    });

    const rawRequests: Array<[string, { body: string; contentType: string }, number, string, RegExp]> = [
      ['malformed JSON', { body: '{"subject": "x",', contentType: 'application/json' }, 400, 'BAD_REQUEST', /not valid JSON/],
      ['a text/plain body', { body: 'subject=x', contentType: 'text/plain' }, 415, 'UNSUPPORTED_MEDIA_TYPE', /^Content-Type must be application\/json$/],
      [
        'a form body',
        { body: 'subject=x', contentType: 'application/x-www-form-urlencoded' },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        /^Content-Type must be application\/json$/,
      ],
      [
        'a body over 1 MiB',
        { body: JSON.stringify(newTicket({ description: 'x'.repeat(1024 * 1024) })), contentType: 'application/json' },
        413,
        'PAYLOAD_TOO_LARGE',
        /too large/,
      ],
    ];

    it('takes any body whose values are in range, however it is written: 20,000 emoji as JSON escapes (240 KB)', async () => {
      const escape = (body: unknown) => JSON.stringify(body).replace(/[\ud800-\udfff]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16)}`);
      const text = '😀'.repeat(20_000);
      const headers = { 'content-type': 'application/json' };
      const created = await app.request('POST', '/api/v1/tickets', { token: ws.key, body: escape(newTicket({ description: text })), headers });
      expect(created.status).toBe(201);
      expect(created.body.data.description).toBe(text);
      const id = created.body.data.id as string;
      const message = await app.request('POST', `/api/v1/tickets/${id}/messages`, { token: ws.key, body: escape({ body: text }), headers });
      expect(message.status).toBe(201);
    });

    it.each(rawRequests)('answers %s in the error envelope, writing nothing', async (_label, { body, contentType }, status, code, message) => {
      const totalBefore = (await as(ws.key).get('/tickets')).body.meta.total;
      const headBefore = await app.infrastructure.eventStore.headPosition();

      const res = await app.request('POST', '/api/v1/tickets', { token: ws.key, body, headers: { 'content-type': contentType } });

      expectEnvelope(res, status, code);
      expect(res.body.error.message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+/); // no stack trace
      expect(await app.infrastructure.eventStore.headPosition()).toBe(headBefore);
      expect((await as(ws.key).get('/tickets')).body.meta.total).toBe(totalBefore);
    });

    it('requires a workspace key (401 in the envelope)', async () => {
      expectEnvelope(await app.request('POST', '/api/v1/tickets', { body: newTicket() }), 401, 'UNAUTHORIZED');
      expectEnvelope(await app.request('GET', '/api/v1/tickets', { token: `ldk_${'x'.repeat(40)}` }), 401, 'UNAUTHORIZED');
      expectEnvelope(await app.request('GET', '/api/v1/tickets', { token: app.adminToken }), 401, 'UNAUTHORIZED');
    });
  });

  describe('one ticket: GET, messages, events', () => {
    let ticket: { id: string; customer_id: string };

    beforeAll(async () => {
      ticket = await create(ws.key, { subject: 'Conversation', description: 'First words' });
    });

    it('appends messages and returns public messages oldest first with an ETag', async () => {
      const before = await as(ws.key).get(`/tickets/${ticket.id}`);
      expect(before.status).toBe(200);
      // TicketCreated, then the first message as its own event.
      expect(before.headers.get('etag')).toBe('"1"');

      const bodies = ['second', 'third', 'fourth'];
      for (const body of bodies) {
        const res = await as(ws.key).post(`/tickets/${ticket.id}/messages`, { body }, { 'x-request-id': `msg-${body}` });
        expect(res.status).toBe(201);
        expect(res.headers.get('x-log-position')).toMatch(/^\d+$/);
        // Section 4's fields, and beside them the API channel's (section 8, call 3).
        expect(res.body.data).toEqual(
          expect.objectContaining({
            id: expect.any(String),
            author_type: 'customer',
            body,
            created_at: expect.any(String),
            content: body,
            message_type: 'incoming',
          }),
        );
      }

      const after = await as(ws.key).get(`/tickets/${ticket.id}`);
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).toBe('"4"');
      expect(after.body.data.message_count).toBe(4);
      expect(after.body.data.messages.map((m: { body: string }) => m.body)).toEqual(['First words', ...bodies]);
      for (const message of after.body.data.messages) {
        expect(Object.keys(message).sort()).toEqual(['author_id', 'author_type', 'body', 'created_at', 'id']);
        expect(message.author_type).toBe('customer');
        expect(message.author_id).toBe(ticket.customer_id); // the ticket's own customer wrote it
      }
      expect(after.body.data.last_message_at >= before.body.data.last_message_at).toBe(true);
    });

    it('validates message bodies and writes nothing for an invalid one', async () => {
      const headBefore = await app.infrastructure.eventStore.headPosition();
      for (const body of [{}, { body: '' }, { body: 'b'.repeat(20_001) }, { body: 5 }, { body: 'ok', internal: true }]) {
        const res = await as(ws.key).post(`/tickets/${ticket.id}/messages`, body);
        expectEnvelope(res, 400, 'BAD_REQUEST');
      }
      expect(await app.infrastructure.eventStore.headPosition()).toBe(headBefore);
    });

    it('serves the event history oldest first with metadata, and verifies the hash chain', async () => {
      const res = await as(ws.key).get(`/tickets/${ticket.id}/events`);
      expect(res.status).toBe(200);
      const events = res.body.data;
      expect(events.map((e: { type: string }) => e.type)).toEqual([
        'TicketCreated',
        'MessageAppended',
        'MessageAppended',
        'MessageAppended',
        'MessageAppended',
      ]);
      expect(events.map((e: { revision: number }) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect(events[0].data.first_message_id).toBe(events[1].data.message_id);
      expect(events[1].data).toMatchObject({ body: 'First words', opens_ticket: true });
      expect(events[1].metadata.request_id).toBe(events[0].metadata.request_id);
      const positions = events.map((e: { position: number }) => e.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(new Set(positions).size).toBe(positions.length);
      for (const event of events) {
        expect(event.metadata).toMatchObject({
          actor: { type: 'api_key', id: ws.keyId },
          request_id: expect.any(String),
          occurred_at: expect.any(String),
        });
        expect(event.data).not.toHaveProperty('ticket_token_hash');
      }
      expect(events[2].metadata.request_id).toBe('msg-second');
      expect(events[4].data.body).toBe('fourth');

      const verified = await as(ws.key).get(`/tickets/${ticket.id}/events?verify=true`);
      expect(verified.status).toBe(200);
      expect(verified.body.verification).toEqual({ ok: true, broken_revision: null, reason: null, checked: 5 });
      expect((await as(ws.key).get(`/tickets/${ticket.id}/events?verify=maybe`)).status).toBe(400);
    });

    it('answers 404 for unknown, malformed and other-workspace ids, writing nothing', async () => {
      const headBefore = await app.infrastructure.eventStore.headPosition();
      const foreign = as(other.key);
      const cases: Array<[ReturnType<typeof as>, string]> = [
        [as(ws.key), randomUUID()],
        [as(ws.key), 'not-a-uuid'],
        [foreign, ticket.id],
      ];
      for (const [client, id] of cases) {
        expectEnvelope(await client.get(`/tickets/${id}`), 404, 'NOT_FOUND');
        expectEnvelope(await client.post(`/tickets/${id}/messages`, { body: 'hello' }), 404, 'NOT_FOUND');
        expectEnvelope(await client.get(`/tickets/${id}/events`), 404, 'NOT_FOUND');
      }
      // B's answer for A's ticket is exactly the answer for a ticket that does not exist.
      const missing = await foreign.get(`/tickets/${randomUUID()}`);
      const hidden = await foreign.get(`/tickets/${ticket.id}`);
      expect(hidden.body).toEqual(missing.body);
      expect(await app.infrastructure.eventStore.headPosition()).toBe(headBefore);
      expect((await foreign.get('/tickets?limit=100')).body.data.map((t: { id: string }) => t.id)).not.toContain(ticket.id);
    });
  });

  describe('GET /tickets', () => {
    let list: { key: string; id: string };
    let all: Array<Row>;
    const COUNT = 60;
    const priorities = ['low', 'medium', 'high', 'urgent'];
    const rank: Record<string, number> = { low: 1, medium: 2, high: 3, urgent: 4 };
    let assigneeId: string;
    let inboxId: string;

    const fetchAll = async (query: string): Promise<Array<Row>> => {
      const rows: Array<Row> = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const sep = query ? '&' : '';
        const res = await as(list.key).get(`/tickets?${query}${sep}limit=7${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.meta.limit).toBe(7);
        expect(res.body.data.length).toBeLessThanOrEqual(7);
        rows.push(...res.body.data);
        cursor = res.body.meta.next_cursor;
        if (++pages > 50) throw new Error('paging does not end');
      } while (cursor);
      return rows;
    };
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
    const idsWhere = (pred: (t: Row) => boolean) => ids(all.filter(pred)).sort();

    beforeAll(async () => {
      const workspace = await app.createWorkspace('Listing');
      list = { key: workspace.key, id: workspace.id };
      // No users or inboxes API yet: seed the read models the reference checks consult.
      assigneeId = randomUUID();
      inboxId = randomUUID();
      const seed = { workspace_id: list.id, _position: 0, created_at: new Date().toISOString() };
      await app.infrastructure.readStore.collection('users').put({ _id: assigneeId, id: assigneeId, deleted: false, ...seed });
      await app.infrastructure.readStore.collection('inboxes').put({ _id: inboxId, id: inboxId, ...seed });

      // Created concurrently, in three bursts with the clock held still (only Date is faked;
      // the app runs in this process), so each burst's tickets share one created_at.
      const base = Date.now();
      const created: TestResponse[] = [];
      try {
        for (let burst = 0; burst < 3; burst++) {
          jest.useFakeTimers({ doNotFake: [...NOT_DATE], now: base + burst });
          created.push(
            ...(await Promise.all(
              Array.from({ length: COUNT / 3 }, (_, j) => {
                const i = burst * (COUNT / 3) + j;
                return as(list.key).post(
                  '/tickets',
                  newTicket({
                    subject: i % 10 === 0 ? `URGENT Refund request ${i}` : `Question ${i}`,
                    description: i % 7 === 0 ? `Body mentions a Refund for order ${i}` : `Plain body ${i}`,
                    customer_email: `customer${i % 3}@example.com`,
                    priority: priorities[i % 4],
                    tags: i % 5 === 0 ? ['billing'] : i % 5 === 1 ? ['shipping', 'vip'] : [],
                    ...(i % 6 === 0 && { assignee_id: assigneeId }),
                    ...(i % 4 === 1 && { inbox_id: inboxId }),
                  }),
                );
              }),
            )),
          );
        }
      } finally {
        jest.useRealTimers();
      }
      for (const res of created) expect(res.status).toBe(201);
      // Touch a few tickets so updated_at differs from created_at.
      const touched = created.slice(0, 5).map((r) => r.body.data.id);
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const id of touched) expect((await as(list.key).post(`/tickets/${id}/messages`, { body: 'later' })).status).toBe(201);
      all = await fetchAll('order_by=ticket_number&order_dir=asc');
    });

    it('gives concurrent creates unique, increasing ticket numbers', () => {
      expect(all).toHaveLength(COUNT);
      expect(all.map((t) => t.ticket_number)).toEqual(Array.from({ length: COUNT }, (_, i) => 1001 + i));
      // Three bursts, three timestamps: the paging tests below run over ties.
      expect(new Set(all.map((t) => t.created_at)).size).toBe(3);
    });

    it('orders by created_at desc by default with total and a null cursor at the end', async () => {
      const res = await as(list.key).get('/tickets?limit=100');
      expect(res.body.meta).toEqual({ limit: 100, total: COUNT, next_cursor: null });
      const expected = [...all].sort((a, b) => (a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1));
      expect(ids(res.body.data)).toEqual(ids(expected));
      expect((await as(list.key).get('/tickets')).body.meta.limit).toBe(20);
    });

    const orders: Array<[string, (t: Row) => string | number]> = [
      ['created_at', (t) => t.created_at],
      ['updated_at', (t) => t.updated_at],
      ['priority', (t) => rank[t.priority]],
      ['ticket_number', (t) => t.ticket_number],
    ];
    for (const [orderBy, key] of orders) {
      for (const dir of ['asc', 'desc'] as const) {
        it(`pages by ${orderBy} ${dir} without duplicates or gaps`, async () => {
          const rows = await fetchAll(`order_by=${orderBy}&order_dir=${dir}`);
          const sign = dir === 'asc' ? 1 : -1;
          const expected = [...all].sort((a, b) => {
            const x = key(a);
            const y = key(b);
            if (x !== y) return (x < y ? -1 : 1) * sign;
            return (a.id < b.id ? -1 : 1) * sign;
          });
          expect(new Set(ids(rows)).size).toBe(rows.length);
          expect(ids(rows)).toEqual(ids(expected));
        });
      }
    }

    it('filters by status and priority (comma-separated, several values)', async () => {
      expect(ids(await fetchAll('status=new,open')).sort()).toEqual(idsWhere(() => true));
      expect(await fetchAll('status=open,pending')).toEqual([]);
      expect(ids(await fetchAll('priority=high,urgent')).sort()).toEqual(idsWhere((t) => t.priority === 'high' || t.priority === 'urgent'));
      expect(ids(await fetchAll('priority=low')).sort()).toEqual(idsWhere((t) => t.priority === 'low'));
      expect(idsWhere((t) => t.priority === 'low').length).toBe(COUNT / 4);
    });

    it('filters by assignee_id, unassigned, customer_id and inbox_id', async () => {
      const assigned = idsWhere((t) => t.assignee_id === assigneeId);
      expect(assigned).toHaveLength(10);
      expect(ids(await fetchAll(`assignee_id=${assigneeId}`)).sort()).toEqual(assigned);
      expect(ids(await fetchAll('unassigned=true')).sort()).toEqual(idsWhere((t) => t.assignee_id === null));
      expect(await fetchAll(`assignee_id=${randomUUID()}`)).toEqual([]);

      const customerId = all[0].customer_id;
      const ofCustomer = idsWhere((t) => t.customer_id === customerId);
      expect(ofCustomer).toHaveLength(COUNT / 3);
      expect(ids(await fetchAll(`customer_id=${customerId}`)).sort()).toEqual(ofCustomer);

      const inInbox = idsWhere((t) => t.inbox_id === inboxId);
      expect(inInbox).toHaveLength(COUNT / 4);
      expect(ids(await fetchAll(`inbox_id=${inboxId}`)).sort()).toEqual(inInbox);
    });

    it('filters by tags (any of) and by search (case-insensitive, subject or description)', async () => {
      expect(ids(await fetchAll('tags=billing')).sort()).toEqual(idsWhere((t) => t.tags.includes('billing')));
      expect(ids(await fetchAll('tags=vip,billing')).sort()).toEqual(idsWhere((t) => t.tags.includes('billing') || t.tags.includes('vip')));
      expect(await fetchAll('tags=nope')).toEqual([]);

      const refund = idsWhere((t) => /refund/i.test(t.subject) || /refund/i.test(t.description));
      expect(refund.length).toBeGreaterThan(COUNT / 10);
      expect(ids(await fetchAll('search=rEfUnD')).sort()).toEqual(refund);
      expect(ids(await fetchAll('search=urgent%20refund')).sort()).toEqual(idsWhere((t) => /urgent refund/i.test(t.subject)));
      expect(await fetchAll('search=.*')).toEqual([]); // a literal substring, not a pattern
    });

    it('filters by created_after, created_before and updated_since', async () => {
      const byCreated = [...all].sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
      const pivot = byCreated[Math.floor(COUNT / 2)].created_at;
      const after = idsWhere((t) => t.created_at > pivot);
      const before = idsWhere((t) => t.created_at < pivot);
      expect(after.length + before.length).toBeLessThan(COUNT);
      expect(ids(await fetchAll(`created_after=${pivot}`)).sort()).toEqual(after);
      expect(ids(await fetchAll(`created_before=${pivot}`)).sort()).toEqual(before);

      const latest = [...all].sort((a, b) => (a.updated_at < b.updated_at ? 1 : -1))[0].updated_at;
      const recent = idsWhere((t) => t.updated_at >= latest);
      expect(recent.length).toBeGreaterThan(0);
      expect(recent.length).toBeLessThan(COUNT);
      expect(ids(await fetchAll(`updated_since=${latest}`)).sort()).toEqual(recent);
      expect((await as(list.key).get('/tickets?created_after=yesterday')).status).toBe(400);
    });

    it('compares timestamps as instants: any offset, whole seconds, a date alone', async () => {
      const pivot = [...all].sort((a, b) => (a.created_at < b.created_at ? -1 : 1))[Math.floor(COUNT / 2)].created_at;
      const ms = Date.parse(pivot);
      // The pivot's instant written at UTC-05:00 and at +09:00: the same answers as in UTC.
      const at = (offsetHours: number) => {
        const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 23);
        const sign = offsetHours < 0 ? '-' : '+';
        return encodeURIComponent(`${local}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`);
      };
      const after = idsWhere((t) => t.created_at > pivot);
      expect(ids(await fetchAll(`created_after=${at(-5)}`)).sort()).toEqual(after);
      expect(ids(await fetchAll(`created_after=${at(9)}`)).sort()).toEqual(after);
      expect(ids(await fetchAll(`created_before=${at(-5)}`)).sort()).toEqual(idsWhere((t) => t.created_at < pivot));

      // Whole seconds: the second's start, so nothing within that second is missed.
      const second = pivot.slice(0, 19);
      expect(ids(await fetchAll(`updated_since=${second}Z`)).sort()).toEqual(idsWhere((t) => t.updated_at >= `${second}.000Z`));
      expect(ids(await fetchAll(`created_before=${second}Z`)).sort()).toEqual(idsWhere((t) => t.created_at < `${second}.000Z`));
      expect(ids(await fetchAll(`created_after=${pivot.slice(0, 10)}`)).sort()).toEqual(idsWhere((t) => t.created_at > `${pivot.slice(0, 10)}T00:00:00.000Z`));

      for (const bad of ['2026-02-30T00:00:00Z', '2026-W49-6', 'Dec%205%202026']) {
        const res = await as(list.key).get(`/tickets?updated_since=${bad}`);
        expect({ status: res.status, details: Object.keys(res.body.error.details) }).toEqual({ status: 400, details: ['updated_since'] });
      }
    });

    it('combines filters with paging', async () => {
      const expected = idsWhere((t) => (t.priority === 'high' || t.priority === 'low') && t.tags.length === 0);
      const rows = await fetchAll('priority=high,low&order_by=priority&order_dir=asc');
      expect(rows.map((t) => t.priority)).toEqual([...rows.map((t) => t.priority)].sort((a, b) => rank[a] - rank[b]));
      const filtered = rows.filter((t) => t.tags.length === 0);
      expect(ids(filtered).sort()).toEqual(expected);
    });

    it('rejects invalid cursors, limits and filter values with 400', async () => {
      const first = await as(list.key).get('/tickets?limit=5');
      const cursor = first.body.meta.next_cursor;
      expect(cursor).toEqual(expect.any(String));
      const bad = [
        '/tickets?cursor=not%20a%20cursor',
        '/tickets?cursor=abc',
        `/tickets?cursor=${Buffer.from('[1,2]').toString('base64url')}`,
        // Well-formed, but not made by Ledgerdesk (cursors are sealed): not read as a position.
        `/tickets?cursor=${Buffer.from(JSON.stringify(['created_at', -1, 'garbage', 'x'])).toString('base64url')}`,
        `/tickets?cursor=${Buffer.from(JSON.stringify(['created_at', -1, null, null])).toString('base64url')}`,
        `/tickets?cursor=${cursor}&order_by=ticket_number`,
        `/tickets?cursor=${cursor}&order_dir=asc`,
        '/tickets?limit=0',
        '/tickets?limit=101',
        '/tickets?limit=ten',
        '/tickets?status=bogus',
        '/tickets?priority=new',
        '/tickets?order_by=subject',
        '/tickets?order_dir=up',
        '/tickets?assignee_id=nobody',
        '/tickets?unassigned=yes',
        '/tickets?foo=bar',
      ];
      for (const path of bad) {
        const res = await as(list.key).get(path);
        expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status: 400, code: 'BAD_REQUEST' });
      }
      expect((await as(list.key).get('/tickets?limit=1')).body.data).toHaveLength(1);
      expect((await as(list.key).get('/tickets?limit=100')).body.data).toHaveLength(COUNT);
    });

    it("a cursor is valid for the list it came from: another list's, workspace's or filter's is a 400", async () => {
      const tickets = (await as(list.key).get('/tickets?limit=5')).body.meta.next_cursor as string;
      const customers = (await as(list.key).get('/customers?limit=1')).body.meta.next_cursor as string;
      expect([tickets, customers]).toEqual([expect.any(String), expect.any(String)]);
      for (const [key, path] of [
        [list.key, `/tickets?cursor=${customers}`],
        [list.key, `/customers?cursor=${tickets}`],
        [list.key, `/tags?cursor=${tickets}`],
        [list.key, `/tickets?cursor=${tickets}&status=open`],
        [other.key, `/tickets?cursor=${tickets}`],
      ] as const) {
        const res = await as(key).get(path);
        expect({ path, status: res.status, details: res.body?.error?.details }).toEqual({ path, status: 400, details: { cursor: expect.any(Array) } });
      }
      expect((await as(list.key).get(`/tickets?limit=5&cursor=${tickets}`)).status).toBe(200);
    });

    it('never lists another workspace’s tickets', async () => {
      const mine = await fetchAll('');
      expect(mine).toHaveLength(COUNT);
      for (const t of mine) expect(ids(all)).toContain(t.id);
      const theirs = (await as(other.key).get('/tickets?limit=100')).body.data;
      expect(ids(theirs).filter((id: string) => ids(all).includes(id))).toEqual([]);
    });
  });
});
