import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledgerdesk/event-store';
import { systemContext } from '@ledgerdesk/shared';
import { CommandRunner } from './command-runner';
import type { Decider } from './decider';
import { verifyChain } from './event-hash';
import { LogPositionTracker } from './log-position-tracker';

type CounterEvent = { type: 'Counted'; data: { n: number } };
const counter: Decider<{ type: 'Count' }, CounterEvent, { n: number }> = {
  decide: (_command, state) => [{ type: 'Counted', data: { n: state.n + 1 } }],
  evolve: (_state, event) => ({ n: event.data.n }),
  initialState: { n: 0 },
};

describe('CommandRunner with the SQLite event store', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'runner-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pipelines concurrent commands on one stream: every one succeeds, in order, without gaps', async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => runner.run('counter-1', counter, { type: 'Count' }, systemContext('w'))));
    const numbers = outcomes.map((o) => (o.events[0].data as { n: number }).n).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const events = await store.readStream('counter-1');
    expect(events.map((e) => (e.data as { n: number }).n)).toEqual(numbers);
  });

  it('two runners (two processes) on one stream conflict, retry, and never lose or repeat a number', async () => {
    const a = new CommandRunner(store, new LogPositionTracker());
    const b = new CommandRunner(store, new LogPositionTracker());
    await a.run('counter-2', counter, { type: 'Count' }, systemContext('w'));
    await b.run('counter-2', counter, { type: 'Count' }, systemContext('w')); // b's cache now ahead of a's
    await a.run('counter-2', counter, { type: 'Count' }, systemContext('w')); // stale cache: conflict, reload, retry
    const events = await store.readStream('counter-2');
    expect(events.map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
  });

  it('chains event hashes per stream so the history verifies, and a changed event breaks it', async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    for (let i = 0; i < 5; i++) await runner.run('counter-3', counter, { type: 'Count' }, systemContext('w'));
    const events = await store.readStream('counter-3');
    expect(events[0].metadata.prev_hash).toBeNull();
    expect(events[1].metadata.prev_hash).toBe(events[0].metadata.hash);
    expect(verifyChain(events)).toEqual({ ok: true, brokenRevision: null, reason: null, checked: 5 });

    const tampered = events.map((e) => (e.revision === 2 ? { ...e, data: { n: 99 } } : e));
    expect(verifyChain(tampered)).toEqual({ ok: false, brokenRevision: 2, reason: 'hash_mismatch', checked: 5 });
  });

  it("gives events time-ordered ids (UUIDv7), so the log's id index grows at its right edge", async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    for (let i = 0; i < 20; i++) await runner.run(`counter-ids-${i % 3}`, counter, { type: 'Count' }, systemContext('w'));
    const ids = (await store.readAll()).map((e) => e.id);
    expect(ids).toHaveLength(20);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids); // log order is id order
  });

  it('records the highest position it appended, for read-your-writes', async () => {
    const positions = new LogPositionTracker();
    const runner = new CommandRunner(store, positions);
    const outcome = await runner.run('counter-4', counter, { type: 'Count' }, systemContext('w'));
    expect(outcome.position).toBe(await store.headPosition());
    expect(positions.lastWritten).toBe(outcome.position);
  });

  it('newStream decides without reading the store; if the stream exists after all, it conflicts and retries on the real state', async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    const reads = jest.spyOn(store, 'readStream');
    const fresh = await runner.run('counter-5', counter, { type: 'Count' }, systemContext('w'), { newStream: true });
    expect(reads).not.toHaveBeenCalled();
    expect(fresh.revision).toBe(0);

    // Another process wrote the stream: this runner's guess "new" is wrong and must not win.
    await new CommandRunner(store, new LogPositionTracker()).run('counter-6', counter, { type: 'Count' }, systemContext('w'));
    const retried = await runner.run('counter-6', counter, { type: 'Count' }, systemContext('w'), { newStream: true });
    expect(reads).toHaveBeenCalledWith('counter-6');
    expect((retried.events[0].data as { n: number }).n).toBe(2);
    expect((await store.readStream('counter-6')).map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    reads.mockRestore();
  });

  it('begin answers with the decided state before the commit, so the next append joins the same group commit', async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    const batchesBefore = store.committedBatches;
    const first = await runner.begin('counter-7', counter, { type: 'Count' }, systemContext('w'), { newStream: true });
    expect(first.state).toEqual({ n: 1 });
    const second = runner.run('counter-8', counter, { type: 'Count' }, systemContext('w'), { newStream: true });
    const [a, b] = await Promise.all([first.committed, second]);
    expect(store.committedBatches - batchesBefore).toBe(1);
    expect(b.position).toBe(a.position! + 1);
    expect((await store.readStream('counter-7')).map((e) => (e.data as { n: number }).n)).toEqual([1]);
  });

  it("begin's commit retries a conflict on the store's state, as run does", async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    await runner.run('counter-9', counter, { type: 'Count' }, systemContext('w'));
    await new CommandRunner(store, new LogPositionTracker()).run('counter-9', counter, { type: 'Count' }, systemContext('w'));
    const stale = await runner.begin('counter-9', counter, { type: 'Count' }, systemContext('w'));
    expect(stale.state).toEqual({ n: 2 }); // decided on the stale cache
    const outcome = await stale.committed;
    expect(outcome.state).toEqual({ n: 3 });
    expect((await store.readStream('counter-9')).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3]);
  });

  it('findOrCreate skips the read of a stream the store has never seen, and a stream created elsewhere since still comes out right', async () => {
    const runner = new CommandRunner(store, new LogPositionTracker());
    const reads = jest.spyOn(store, 'readStream');
    const fresh = await runner.run('counter-10', counter, { type: 'Count' }, systemContext('w'), { findOrCreate: true });
    expect(fresh.state).toEqual({ n: 1 });
    expect(reads).not.toHaveBeenCalled();

    // Known to exist (in the file): read as usual.
    const elsewhere = new SqliteEventStore(join(dir, 'events.sqlite'));
    await new CommandRunner(elsewhere, new LogPositionTracker()).run('counter-11', counter, { type: 'Count' }, systemContext('w'));
    // Created by "another process" after this store's filter was filled: decided as new, the
    // append conflicts, the retry reads.
    const outcome = await runner.run('counter-11', counter, { type: 'Count' }, systemContext('w'), { findOrCreate: true });
    expect(outcome.state).toEqual({ n: 2 });
    expect(reads).toHaveBeenCalledWith('counter-11');
    expect((await store.readStream('counter-11')).map((e) => (e.data as { n: number }).n)).toEqual([1, 2]);
    await elsewhere.close();
    reads.mockRestore();
  });

  it('a stream evicted from the cache while a command is deciding is read again, never lost: 300 commands over 50 streams, room for 3', async () => {
    const runner = new CommandRunner(store, new LogPositionTracker(), 3);
    const streams = Array.from({ length: 50 }, (_, i) => `evicted-${i}`);
    await Promise.all(streams.map((id) => runner.run(id, counter, { type: 'Count' }, systemContext('w'))));
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => runner.run(streams[i % 50], counter, { type: 'Count' }, systemContext('w'))));
    expect(outcomes).toHaveLength(300);
    for (const id of streams) expect((await store.readStream(id)).map((e) => (e.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
