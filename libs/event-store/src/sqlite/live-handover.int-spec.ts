import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '../event-store.port';
import { newEvent, newStreamId } from '../event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

/**
 * Live subscriptions receive this process's commits from memory and everything else from the
 * file: interleaving both must still deliver every event exactly once, in position order.
 */
describe('SqliteEventStore live hand-over', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let other: SqliteEventStore;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledgerdesk-handover-'));
    file = path.join(dir, 'events.sqlite');
    store = new SqliteEventStore(file, { pollIntervalMs: 20, subscriptionPageSize: 7 });
    other = new SqliteEventStore(file);
  });
  afterEach(async () => {
    await other.close();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function collect(iterator: AsyncIterator<RecordedEvent>, n: number): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    while (out.length < n) {
      const step = await iterator.next();
      if (step.done) break;
      out.push(step.value);
      // A slow consumer: commits land while it is busy (their wake-up finds no waiter).
      if (out.length % 5 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return out;
  }

  it('interleaved in-process and other-process appends: every event once, in order, equal to the file', async () => {
    const fast = store.subscribeToAll();
    const slow = store.subscribeToAll();
    const total = 3 * 40;
    const fastRead = collect(fast[Symbol.asyncIterator](), total);
    const slowRead = collect(slow[Symbol.asyncIterator](), total);
    try {
      for (let round = 0; round < 40; round++) {
        // Concurrent in-process appends (one group commit), then one from another connection.
        await Promise.all([store.append(newStreamId(), [newEvent('Local')]), store.append(newStreamId(), [newEvent('Local')])]);
        await other.append(newStreamId(), [newEvent('Other')]);
      }
      const expected = await store.readAll();
      expect(expected).toHaveLength(total);
      for (const read of [await fastRead, await slowRead]) {
        expect(read.map((e) => e.position)).toEqual(expected.map((e) => e.position));
        expect(read).toEqual(expected);
      }
    } finally {
      await fast.close();
      await slow.close();
    }
  });

  it('a subscription started mid-stream catches up from the file, then follows live', async () => {
    for (let i = 0; i < 20; i++) await store.append(newStreamId(), [newEvent('Before'), newEvent('Before')]);
    const subscription = store.subscribeToAll({ afterPosition: 5 });
    const iterator = subscription[Symbol.asyncIterator]();
    try {
      const caughtUp = await collect(iterator, 35);
      expect(caughtUp.map((e) => e.position)).toEqual(Array.from({ length: 35 }, (_, i) => i + 6));
      await store.append(newStreamId(), [newEvent('After')]);
      const [live] = await collect(iterator, 1);
      expect(live).toMatchObject({ type: 'After', position: 41 });
      expect(live).toEqual((await store.readAll({ afterPosition: 40 }))[0]);
    } finally {
      await subscription.close();
    }
  });
});
