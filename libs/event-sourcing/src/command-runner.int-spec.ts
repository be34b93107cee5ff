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
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => runner.run('counter-1', counter, { type: 'Count' }, systemContext('w'))),
    );
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
    expect(verifyChain(events)).toEqual({ ok: true, brokenRevision: null, checked: 5 });

    const tampered = events.map((e) => (e.revision === 2 ? { ...e, data: { n: 99 } } : e));
    expect(verifyChain(tampered)).toEqual({ ok: false, brokenRevision: 2, checked: 5 });
  });

  it('records the highest position it appended, for read-your-writes', async () => {
    const positions = new LogPositionTracker();
    const runner = new CommandRunner(store, positions);
    const outcome = await runner.run('counter-4', counter, { type: 'Count' }, systemContext('w'));
    expect(outcome.position).toBe(await store.headPosition());
    expect(positions.lastWritten).toBe(outcome.position);
  });
});
