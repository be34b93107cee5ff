import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEventStoreContract, newEvent, newStreamId } from '../event-store.contract';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import { SqliteEventStore } from './sqlite-event-store';
import { WRITER_AUTOCHECKPOINT_PAGES } from './sqlite-writer.protocol';

function tempFile(): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-events-'));
  return { dir, file: path.join(dir, 'events.sqlite') };
}

describeEventStoreContract('SQLite', async () => {
  const { dir, file } = tempFile();
  const opened: SqliteEventStore[] = [new SqliteEventStore(file)];
  return {
    store: opened[0],
    reopen: async () => {
      const store = new SqliteEventStore(file);
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteEventStore (SQLite-only behaviour)', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    ({ dir, file } = tempFile());
    store = new SqliteEventStore(file);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs in WAL mode with synchronous = FULL (fsync on every commit)', () => {
    expect(store.durabilitySettings()).toEqual({ journalMode: 'wal', synchronous: 2 });
  });

  it('commits on a writer thread whose connection also runs WAL with synchronous = FULL', async () => {
    expect(await store.writerDurabilitySettings()).toEqual({ journalMode: 'wal', synchronous: 2, walAutocheckpoint: WRITER_AUTOCHECKPOINT_PAGES });
  });

  it('copies the WAL back into the database file on its checkpointer thread, not inside a COMMIT', async () => {
    const before = fs.statSync(file).size;
    const text = 'x'.repeat(2_000);
    await Promise.all(Array.from({ length: 200 }, () => store.append(newStreamId(), [newEvent('Filler', { text })], 'no_stream')));
    // Far below the writer's own threshold: only the checkpointer moves these pages into the file.
    expect(200 * 2_000).toBeLessThan((WRITER_AUTOCHECKPOINT_PAGES * 4096) / 10);
    const deadline = Date.now() + 5_000;
    while (fs.statSync(file).size < before + 200 * 2_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fs.statSync(file).size).toBeGreaterThanOrEqual(before + 200 * 2_000);
    expect(await store.readAll()).toHaveLength(200);
  });

  it('starts the WAL file over at (nearly) every checkpoint round while appends keep coming', async () => {
    // Small rounds and threshold, so a slow disk still crosses it every round.
    const intervalMs = 100;
    const busy = new SqliteEventStore(file, { checkpointIntervalMs: intervalMs, walRestartPages: 50 });
    // The WAL header's checkpoint sequence number (bytes 12-15, big-endian) counts restarts.
    const walRestarts = () => fs.readFileSync(`${file}-wal`).readUInt32BE(12);
    let stop = false;
    const appenders = Array.from({ length: 8 }, async () => {
      while (!stop) await busy.append(newStreamId(), [newEvent('Filler', { text: 'x'.repeat(2_000) })], 'no_stream');
    });
    try {
      await busy.append(newStreamId(), [newEvent()], 'no_stream');
      const before = walRestarts();
      await new Promise((resolve) => setTimeout(resolve, 12 * intervalMs));
      // Left to SQLite, the WAL starts over only when a transaction begins with nothing left to
      // copy back, which appends that keep coming rarely allow, or at the writer's own
      // threshold (WRITER_AUTOCHECKPOINT_PAGES, about 64 MB).
      expect(walRestarts() - before).toBeGreaterThanOrEqual(6);
    } finally {
      stop = true;
      await Promise.all(appenders);
      await busy.close();
    }
  }, 30_000);

  it('true group commit: appends arriving while a batch commits form the next batch; the event loop stays free', async () => {
    await store.writerDurabilitySettings(); // the writer is up
    // Another connection holds the write lock: the writer's BEGIN IMMEDIATE waits (busy_timeout).
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE');
    const before = store.committedBatches;
    const first = store.append(newStreamId(), [newEvent('First')], 'no_stream');
    const later: Promise<unknown>[] = [];
    let ticks = 0;
    try {
      await new Promise((resolve) => setImmediate(resolve)); // `first` is in flight now
      for (let i = 0; i < 5; i++) {
        later.push(store.append(newStreamId(), [newEvent('Later')], 'no_stream'));
        await new Promise((resolve) => setTimeout(resolve, 10)); // separate macrotasks
        ticks += 1;
      }
      expect(ticks).toBe(5); // timers ran while the commit waited: nothing blocked this thread
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    await first;
    const results = (await Promise.all(later)) as Array<{ position: number }>;
    expect(results.map((r) => r.position)).toEqual([2, 3, 4, 5, 6]);
    expect(store.committedBatches - before).toBe(2);
  });

  it('a batch that cannot commit fails every append in it as EventStoreUnavailableError', async () => {
    await store.writerDurabilitySettings();
    const blocker = new Database(file);
    blocker.exec('BEGIN IMMEDIATE'); // held past the writer's busy_timeout (5 s)
    try {
      const outcomes = await Promise.allSettled([
        store.append(newStreamId(), [newEvent()], 'no_stream'),
        store.append(newStreamId(), [newEvent()], 'no_stream'),
      ]);
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        const reason = (outcome as PromiseRejectedResult).reason as EventStoreUnavailableError;
        expect(reason).toBeInstanceOf(EventStoreUnavailableError);
        expect((reason.cause as { code?: string }).code).toBe('SQLITE_BUSY');
      }
    } finally {
      blocker.exec('ROLLBACK');
      blocker.close();
    }
    // The writer is still usable afterwards.
    expect((await store.append(newStreamId(), [newEvent()], 'no_stream')).position).toBe(1);
  }, 20_000);

  it("reads a stream's revision from the events alone; a file with the old streams table keeps working and loses the table", async () => {
    const streamId = newStreamId();
    await store.append(streamId, [newEvent(), newEvent()], 'no_stream');
    await store.close();
    // An earlier schema kept each stream's revision in a `streams` table, here deliberately stale.
    const legacy = new Database(file);
    legacy.exec(`CREATE TABLE streams (stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL);
      INSERT INTO streams VALUES ('${streamId}', 7);`);
    legacy.close();

    store = new SqliteEventStore(file);
    const tables = new Database(file, { readonly: true });
    try {
      expect(tables.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['events']);
    } finally {
      tables.close();
    }
    expect(store.streamMayExist(streamId)).toBe(true);
    await expect(store.append(streamId, [newEvent()], 1)).resolves.toMatchObject({ nextRevision: 2 });
    await expect(store.append(streamId, [newEvent()], 1)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(store.append(newStreamId(), [newEvent()], 'no_stream')).resolves.toMatchObject({ nextRevision: 0 });
  });

  it("an append serializes its events when called: later changes to the caller's objects are not written", async () => {
    const streamId = newStreamId();
    const event = newEvent('Snapshot', { n: 1 });
    const pending = store.append(streamId, [event], 'no_stream');
    (event.data as { n: number }).n = 2;
    await pending;
    expect((await store.readStream(streamId))[0].data).toEqual({ n: 1 });
  });

  it('starts positions at 1 and reports head 0 on an empty log', async () => {
    expect(await store.headPosition()).toBe(0);
    expect(await store.readAll()).toEqual([]);
    const result = await store.append(newStreamId(), [newEvent(), newEvent()], 'no_stream');
    expect(result.position).toBe(2);
    expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2]);
    expect(await store.headPosition()).toBe(2);
  });

  it('group-commits concurrent appends: 100 appends in one tick share one transaction', async () => {
    const before = store.committedBatches;
    const results = await Promise.all(Array.from({ length: 100 }, () => store.append(newStreamId(), [newEvent()], 'no_stream')));
    expect(store.committedBatches - before).toBe(1);
    expect(results.map((r) => r.position)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });

  it('a concurrency failure in a batch rolls back only that append', async () => {
    const streamId = newStreamId();
    await store.append(streamId, [newEvent()], 'no_stream');
    const before = store.committedBatches;
    const outcomes = await Promise.allSettled([
      store.append(streamId, [newEvent('First')], 0),
      store.append(streamId, [newEvent('Stale'), newEvent('Stale')], 0),
      store.append(streamId, [newEvent('Second')], 1),
      store.append(newStreamId(), [newEvent()], 'no_stream'),
    ]);
    expect(store.committedBatches - before).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    // Appends of one batch to the same stream see each other in order.
    expect((await store.readStream(streamId)).map((e) => [e.revision, e.type])).toEqual([
      [0, 'Test'],
      [1, 'First'],
      [2, 'Second'],
    ]);
  });

  it('writes only the new events when an append repeats some ids', async () => {
    const streamId = newStreamId();
    const known = newEvent('Known');
    await store.append(streamId, [known], 'no_stream');
    const result = await store.append(streamId, [known, newEvent('New')], 'any');
    expect(result.nextRevision).toBe(1);
    expect((await store.readStream(streamId)).map((e) => e.type)).toEqual(['Known', 'New']);
  });

  it('close() writes appends that were already accepted', async () => {
    const streamId = newStreamId();
    const pending = store.append(streamId, [newEvent()], 'no_stream');
    await store.close();
    await expect(pending).resolves.toMatchObject({ nextRevision: 0 });
    store = new SqliteEventStore(file);
    expect(await store.readStream(streamId)).toHaveLength(1);
  });

  it('an in-process append wakes a live subscription at once (not by the poll timer)', async () => {
    const slowPoll = new SqliteEventStore(file, { pollIntervalMs: 60_000 });
    const subscription = slowPoll.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const next = iterator.next();
      await new Promise((resolve) => setTimeout(resolve, 20)); // let it go idle first
      const startedAt = Date.now();
      await slowPoll.append(newStreamId(), [newEvent('Live')], 'no_stream');
      const step = await next;
      expect(step.value).toMatchObject({ type: 'Live', position: 1 });
      expect(Date.now() - startedAt).toBeLessThan(1_000);
    } finally {
      await subscription.close();
      await slowPoll.close();
    }
  });

  it('a subscription sees appends made through another connection to the same file', async () => {
    const other = new SqliteEventStore(file);
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const streamId = newStreamId();
      const next = iterator.next();
      await other.append(streamId, [newEvent('FromOtherProcess')], 'no_stream');
      const step = await next;
      expect(step.done).toBe(false);
      expect(step.value).toMatchObject({ streamId, type: 'FromOtherProcess', position: 1 });
    } finally {
      await subscription.close();
      await other.close();
    }
  });
});
