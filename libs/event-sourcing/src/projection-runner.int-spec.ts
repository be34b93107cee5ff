import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore, type NewEvent, type RecordedEvent } from '@ledgerdesk/event-store';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

const TYPES = ['Opened', 'Noted', 'Closed'];

const newEvent = (type: string): NewEvent => ({
  id: randomUUID(),
  type,
  data: { n: 1 },
  metadata: {
    workspace_id: 'w',
    actor: { type: 'system', id: null },
    request_id: null,
    correlation_id: null,
    causation_id: null,
    occurred_at: new Date().toISOString(),
    schema_version: 1,
  },
});

/** Puts one document per event of `types` into a collection named after it. */
const copies = (name: string, types: string[], options: { failOn?: () => number; gate?: () => Promise<void> } = {}): Projection => ({
  name,
  collections: { [name]: [] },
  eventTypes: new Set(types),
  async apply(event: RecordedEvent, target) {
    if (event.position === options.failOn?.()) throw new Error('cannot handle this event');
    await options.gate?.();
    await target.collection(name).put({ _id: event.id, _position: event.position, type: event.type });
  },
});

describe('ProjectionRunner.startTogether with the SQLite event store', () => {
  let dir: string;
  let store: SqliteEventStore;
  let readStore: MemoryReadStore;
  const counts: Record<string, number> = {};
  const EVENTS = 1_234;

  const runnerFor = (projection: Projection) => new ProjectionRunner(projection, store, readStore, { collection: (name) => readStore.collection(name) });
  const appendMany = async (n: number) => {
    for (let i = 0; i < n; i += 500) {
      const batch = Array.from({ length: Math.min(500, n - i) }, (_, k) => newEvent(TYPES[(i + k) % 3]));
      await store.append(`s-${randomUUID()}`, batch);
      for (const e of batch) counts[e.type] = (counts[e.type] ?? 0) + 1;
    }
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
    readStore = new MemoryReadStore();
    for (const type of TYPES) counts[type] = 0;
    await appendMany(EVENTS);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('catches read models up on one pass over the log, each from its own checkpoint, then follows it live', async () => {
    await readStore.saveCheckpoint('late', 600);
    const reads = jest.spyOn(store, 'readAll');
    const runners = [copies('opened', ['Opened']), copies('others', ['Noted', 'Closed']), copies('late', TYPES)].map(runnerFor);
    await ProjectionRunner.startTogether(runners);
    expect(await Promise.all(runners.map((r) => r.waitFor(EVENTS, 10_000)))).toEqual([true, true, true]);

    expect(await readStore.collection('opened').count({})).toBe(counts.Opened);
    expect(await readStore.collection('others').count({})).toBe(counts.Noted + counts.Closed);
    expect(await readStore.collection('late').count({})).toBe(EVENTS - 600);
    expect(await readStore.collection('late').count({ _position: { $lte: 600 } })).toBe(0);
    // Three read models, one read of each page of the log: not three passes.
    const page = reads.mock.calls[0][0]!.maxCount!;
    expect(reads.mock.calls.length).toBe(Math.floor(EVENTS / page) + 1);
    expect(runners.map((r) => r.state)).toEqual(['live', 'live', 'live']);

    await appendMany(30);
    expect(await Promise.all(runners.map((r) => r.waitFor(EVENTS + 30, 10_000)))).toEqual([true, true, true]);
    expect(await readStore.collection('late').count({})).toBe(EVENTS + 30 - 600);
    for (const runner of runners) await runner.stop();
    for (const name of ['opened', 'others', 'late']) expect(await readStore.getCheckpoint(name)).toBe(EVENTS + 30);
  });

  it('stops a failing read model at its event while the others go on, and stops one without waiting for the others', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const failing = runnerFor(copies('failing', TYPES, { failOn: () => 700 }));
    const slow = runnerFor(copies('slow', ['Opened'], { gate: () => released }));
    const stopped = runnerFor(copies('stopped', TYPES));
    const healthy = runnerFor(copies('healthy', TYPES));
    const reads = jest.spyOn(store, 'readAll');
    await ProjectionRunner.startTogether([failing, slow, stopped, healthy]);

    // `slow` holds up the first page; `stopped`, done with it, stops meanwhile without waiting.
    expect(await stopped.waitFor(1, 10_000)).toBe(true);
    const page = reads.mock.calls[0][0]!.maxCount!;
    expect(await stopped.waitFor(page, 10_000)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve)); // done with its page, waiting for the next
    await stopped.stop();
    expect(stopped.state).toBe('stopped');
    expect(await readStore.getCheckpoint('stopped')).toBe(page);

    release();
    expect(await healthy.waitFor(EVENTS, 10_000)).toBe(true);
    expect(await slow.waitFor(EVENTS, 10_000)).toBe(true);
    expect(failing.snapshot()).toMatchObject({ state: 'failed', checkpoint: 699, last_error: { position: 700, message: 'cannot handle this event' } });
    expect(await readStore.collection('failing').count({ _position: { $gte: 700 } })).toBe(0);
    expect(stopped.checkpoint).toBe(page);
    for (const runner of [failing, slow, healthy]) await runner.stop();
    expect(await readStore.getCheckpoint('failing')).toBe(699);
  });

  it('an unreadable event stops the read models at its position, and a wait begun after that answers at once', async () => {
    const bad = 700;
    const db = new Database(join(dir, 'events.sqlite'));
    db.prepare("UPDATE events SET data = '{bad' WHERE position = ?").run(bad);
    db.close();
    const runners = [copies('opened', ['Opened']), copies('all', TYPES)].map(runnerFor);
    await ProjectionRunner.startTogether(runners);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the catch-up has met the row by now
    const started = Date.now();
    expect(await Promise.all(runners.map((r) => r.waitFor(EVENTS, 10_000)))).toEqual([false, false]);
    expect(Date.now() - started).toBeLessThan(1_000);
    for (const runner of runners) {
      expect(runner.snapshot()).toMatchObject({ state: 'failed', last_error: { position: bad, message: expect.stringContaining(`position ${bad}`) } });
      expect(runner.failedReading).toBe(true); // the log, not the projection: a start does not serve on it
    }
  });

  it('a read of the log that fails while live (a store gone away) shows failed, then is read again and catches up', async () => {
    const subscribe = jest.spyOn(store, 'subscribeToAll').mockImplementationOnce(() => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('connection to the event store lost')) }),
      close: async () => undefined,
    }));
    const runner = runnerFor(copies('all', TYPES));
    try {
      await runner.start();
      await new Promise((resolve) => setTimeout(resolve, 150)); // caught up, then the live read failed
      expect(runner.snapshot()).toMatchObject({ state: 'failed', checkpoint: EVENTS, last_error: { message: 'connection to the event store lost' } });

      await appendMany(10);
      expect(await runner.waitFor(EVENTS + 10, 5_000)).toBe(true);
      expect(runner.snapshot()).toMatchObject({ state: 'live', checkpoint: EVENTS + 10, last_error: null });
      expect(subscribe).toHaveBeenCalledTimes(2);
      expect(await readStore.collection('all').count({})).toBe(EVENTS + 10);
    } finally {
      await runner.stop();
    }
  });

  it('runners stopped while their start prepares stay stopped: none follows the log afterwards', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slowIndexes = {
      collection: (name: string) => Object.assign(Object.create(readStore.collection(name)) as object, { ensureIndexes: () => gate }) as never,
    };
    const first = new ProjectionRunner(copies('opened', ['Opened']), store, readStore, slowIndexes);
    const second = runnerFor(copies('all', TYPES));
    const subscribe = jest.spyOn(store, 'subscribeToAll');
    const starting = ProjectionRunner.startTogether([first, second]);
    await Promise.all([first.stop(), second.stop()]); // as a start aborted by a SIGTERM stops them
    open();
    await starting;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(subscribe).not.toHaveBeenCalled();
    expect([first.state, second.state]).toEqual(['stopped', 'stopped']);
  });

  it('reads only the event types its read models apply, and ends at the head even when the log ends with other types', async () => {
    await store.append(`s-${randomUUID()}`, [newEvent('Unrelated'), newEvent('Unrelated')]);
    const head = await store.headPosition();
    const reads = jest.spyOn(store, 'readAll');
    const runner = runnerFor(copies('opened', ['Opened']));
    await ProjectionRunner.startTogether([runner]);
    expect(await runner.waitFor(head, 10_000)).toBe(true);
    expect(runner.state).toBe('live');
    expect(await readStore.collection('opened').count({})).toBe(counts.Opened);

    const pages = await Promise.all(reads.mock.results.map((r) => r.value as Promise<RecordedEvent[]>));
    expect(reads.mock.calls[0][0]!.eventTypes).toEqual(new Set(['Opened']));
    expect(pages.flat().every((e) => e.type === 'Opened')).toBe(true);
    expect(pages.flat()).toHaveLength(counts.Opened);
    await runner.stop();
    expect(await readStore.getCheckpoint('opened')).toBe(head);
  });

  it('does not hold a read model far ahead back until the others reach it', async () => {
    await appendMany(12_000);
    const head = await store.headPosition();
    await readStore.saveCheckpoint('ahead', head - 100);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const slow = runnerFor(copies('slow', TYPES, { gate: () => released }));
    const ahead = runnerFor(copies('ahead', TYPES));
    await ProjectionRunner.startTogether([slow, ahead]);
    expect(await ahead.waitFor(head, 10_000)).toBe(true);
    expect(slow.checkpoint).toBe(0);
    release();
    expect(await slow.waitFor(head, 10_000)).toBe(true);
    for (const runner of [slow, ahead]) await runner.stop();
  });
});
