import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeEventStoreContract, newEvent, newStreamId } from '../event-store.contract';
import { WrongExpectedRevisionError } from '../event-store.errors';
import { SqliteEventStore } from './sqlite-event-store';

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
    const results = await Promise.all(
      Array.from({ length: 100 }, () => store.append(newStreamId(), [newEvent()], 'no_stream')),
    );
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
