import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection } from '@ledgerdesk/event-sourcing';
import { ProjectorHost } from '@ledgerdesk/projector';
import { MemoryReadStore, type ProjectedDocument } from '@ledgerdesk/read-store';
import type { TestApp } from '@ledgerdesk/testing';
import { startApiTestApp } from '../support/api-test-app';

const ADMIN = 'test-admin-token';
const byId = (a: ProjectedDocument, b: ProjectedDocument) => a._id.localeCompare(b._id);

describe('projections (admin API, rebuild, failures)', () => {
  let t: TestApp;
  let ws: { id: string; key: string };
  let created = 0;

  const createTicket = async (i: number) => {
    const res = await t.request('POST', '/api/v1/tickets', {
      token: ws.key,
      body: { subject: `Ticket ${i}`, description: `Body ${i}`, customer_email: `c${i % 7}@example.com` },
    });
    if (res.status !== 201) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    created++;
    return res.body.data.id as string;
  };

  beforeAll(async () => {
    t = await startApiTestApp({ env: { RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' } });
    ws = await t.createWorkspace('Projections');
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 120) await createTicket(next++);
      }),
    );
  });

  afterAll(() => t.close());

  it('events_per_second is the rate at which a live projection applies events, and 0 when none come', async () => {
    const rates = async () =>
      ((await t.request('GET', '/api/v1/admin/projections', { token: ADMIN })).body.data as Array<{ name: string; events_per_second: number }>).find(
        (row) => row.name === 'tickets',
      )?.events_per_second ?? -1;
    let writing = true;
    let next = 1_000;
    const writes = Promise.all(
      Array.from({ length: 8 }, async () => {
        const until = Date.now() + 1_500;
        while (Date.now() < until) await createTicket(next++);
      }),
    ).finally(() => (writing = false));
    let busiest = 0;
    while (writing) {
      busiest = Math.max(busiest, await rates());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await writes;
    expect(busiest).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(await rates()).toBe(0);
  });

  it('lists every projection with checkpoint, head, lag, state, last error and rate', async () => {
    const res = await t.request('GET', '/api/v1/admin/projections', { token: ADMIN });
    expect(res.status).toBe(200);
    const names = res.body.data.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['workspaces', 'customers', 'tickets']));
    const head = await t.infrastructure.eventStore.headPosition();
    for (const row of res.body.data) {
      expect(row).toMatchObject({ state: 'live', head, lag: head - row.checkpoint, last_error: null, events_per_second: expect.any(Number) });
      expect(Number.isInteger(row.checkpoint)).toBe(true);
    }
  });

  it('needs the admin token', async () => {
    expect((await t.request('GET', '/api/v1/admin/projections', { token: ws.key })).status).toBe(401);
    expect((await t.request('GET', '/api/v1/admin/projections')).status).toBe(401);
  });

  it('answers 404 for an unknown projection', async () => {
    const res = await t.request('POST', '/api/v1/admin/projections/nope/rebuild', { token: ADMIN });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('rebuilds tickets beside the live copy under writes: reads never fail or go partial, and the copies end equal', async () => {
    const raw = t.infrastructure.rawReadStore;
    let writing = true;
    const problems: string[] = [];
    let reads = 0;

    const writer = (async () => {
      let i = 1000;
      while (writing) await createTicket(i++);
    })();
    const reader = (async () => {
      while (writing) {
        const before = created;
        const res = await t.request('GET', '/api/v1/tickets?limit=100&order_by=ticket_number', { token: ws.key });
        reads++;
        if (res.status !== 200) problems.push(`GET /tickets ${res.status}`);
        else if (res.body.meta.total < before) problems.push(`partial list: total ${res.body.meta.total} < ${before}`);
        else if (res.body.data.length !== Math.min(100, res.body.meta.total)) problems.push('short page');
      }
    })();

    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = await t.request('POST', '/api/v1/admin/projections/tickets/rebuild', { token: ADMIN });
    expect(started.status).toBe(202);
    expect(started.body.data).toMatchObject({ name: 'tickets', generation: 1 });

    const seen = new Set<string>();
    let row: { state: string; generation: number; rebuild: { state: string } | null } | undefined;
    const deadline = Date.now() + 20_000;
    do {
      const res = await t.request('GET', '/api/v1/admin/projections', { token: ADMIN });
      row = res.body.data.find((p: { name: string }) => p.name === 'tickets');
      seen.add(row!.state);
      if (row!.generation === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    } while (Date.now() < deadline);
    expect(row).toMatchObject({ generation: 1, state: 'live', rebuild: { state: 'completed' } });

    // A few more writes land after the switch, then stop.
    const after = created;
    while (created < after + 10) await new Promise((resolve) => setTimeout(resolve, 5));
    writing = false;
    await Promise.all([writer, reader]);
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(0);

    // Reads now come from tickets__v1 and see every ticket.
    const list = await t.request('GET', '/api/v1/tickets?limit=1', { token: ws.key });
    expect(list.body.meta.total).toBe(created);
    expect(await raw.collection('tickets__v1').count({})).toBe(created);

    // The old copy is still maintained during the grace period: document for document equal.
    const compare = async (logical: string) => {
      const deadline2 = Date.now() + 5_000;
      for (;;) {
        const [old, rebuilt] = await Promise.all([raw.collection(logical).find({}), raw.collection(`${logical}__v1`).find({})]);
        if (JSON.stringify(old.sort(byId)) === JSON.stringify(rebuilt.sort(byId)) || Date.now() > deadline2) {
          expect(rebuilt.sort(byId)).toEqual(old.sort(byId));
          return old.length;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    expect(await compare('tickets')).toBe(created);
    expect(await compare('messages')).toBeGreaterThanOrEqual(created);
    // The switch is persisted for other processes and restarts.
    expect(await t.infrastructure.readModels.persisted('tickets')).toBe(1);
  });

  it('marks a failing projection failed at the event, never skips it, and resumes there after a restart once fixed', async () => {
    const store = t.infrastructure.eventStore;
    const readStore = new MemoryReadStore(); // stands in for a durable read store across the restart
    const events = await store.readAll({ maxCount: 40 });
    const poison = events[25];
    let broken = true;
    const applied: number[] = [];
    const projection: Projection = {
      name: 'test_counter',
      collections: { test_counter: [] },
      eventTypes: new Set(events.map((e) => e.type)),
      async apply(event: RecordedEvent, target) {
        if (broken && event.id === poison.id) throw new Error('cannot handle this event');
        applied.push(event.position);
        await target.collection('test_counter').put({ _id: event.id, _position: event.position });
      },
    };

    const first = new ProjectorHost([projection], store, readStore);
    await first.start();
    expect(await first.waitFor(poison.position, 2_000)).toBe(false);
    const [failed] = first.statuses();
    expect(failed).toMatchObject({
      name: 'test_counter',
      state: 'failed',
      checkpoint: poison.position - 1,
      last_error: { position: poison.position, message: 'cannot handle this event' },
    });
    expect(applied).not.toContain(poison.position);
    expect(Math.max(...applied)).toBe(poison.position - 1);
    await first.stop();
    expect(await readStore.getCheckpoint('test_counter')).toBe(poison.position - 1);

    // A start before the fix: the projection is failed at the same event, the start goes on (the app serves, its status says so).
    const unfixed = new ProjectorHost([projection], store, readStore);
    expect(await unfixed.startAndCatchUp(10_000)).toEqual([
      expect.objectContaining({ name: 'test_counter', state: 'failed', last_error: { position: poison.position, message: 'cannot handle this event' } }),
    ]);
    await unfixed.stop();
    expect(await readStore.getCheckpoint('test_counter')).toBe(poison.position - 1);

    broken = false; // the fix is deployed
    applied.length = 0;
    const second = new ProjectorHost([projection], store, readStore);
    const head = await store.headPosition();
    await second.startAndCatchUp(10_000);
    expect(second.statuses()[0]).toMatchObject({ state: 'live', last_error: null, checkpoint: head });
    expect(applied[0]).toBe(poison.position); // resumed at the failed event, nothing before it replayed
    expect(await readStore.collection('test_counter').count({})).toBe(head);
    await second.stop();
  });

  it('a host rebuild drops the old copy after the grace period; a failing rebuild keeps the old copy active', async () => {
    const store = t.infrastructure.eventStore;
    const readStore = new MemoryReadStore();
    let failOn: string | null = null;
    const projection: Projection = {
      name: 'copies',
      collections: { copies: [] },
      eventTypes: new Set(['TicketCreated']),
      async apply(event, target) {
        if (event.id === failOn) throw new Error('boom');
        await target.collection('copies').put({ _id: event.id, _position: event.position });
      },
    };
    const host = new ProjectorHost([projection], store, readStore, { oldCopyGraceMs: 20 });
    await host.startAndCatchUp(10_000);
    const count = await readStore.collection('copies').count({});
    expect(count).toBeGreaterThan(100);

    expect(await host.rebuild('copies')).toEqual({ generation: 1 });
    await expect(host.rebuild('copies')).rejects.toThrow(/already being rebuilt/);
    const until = async (predicate: () => Promise<boolean> | boolean) => {
      const deadline = Date.now() + 10_000;
      while (!(await predicate())) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    await until(() => host.statuses()[0].generation === 1);
    await until(async () => (await readStore.collection('copies').count({})) === 0);
    expect(await readStore.collection('copies__v1').count({})).toBe(count);
    expect(host.router.resolve('copies')).toBe('copies__v1');

    const created = await store.readAll({ maxCount: 1000 });
    failOn = created.find((e) => e.type === 'TicketCreated')!.id;
    await host.rebuild('copies');
    await until(() => host.statuses()[0].rebuild?.state === 'failed');
    const status = host.statuses()[0];
    expect(status).toMatchObject({ state: 'live', generation: 1, rebuild: { generation: 2, state: 'failed', error: { message: 'boom' } } });
    expect(host.router.resolve('copies')).toBe('copies__v1');
    expect(await readStore.collection('copies__v1').count({})).toBe(count);
    await host.stop();
  });
});
