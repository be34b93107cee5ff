import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent, RecordedEvent, Subscription } from './event-store.port';
import { WrongExpectedRevisionError } from './event-store.errors';

export interface ContractFixture {
  store: EventStore;
  /** Closes nothing itself: the suite closes `store` first, then calls reopen on the same log. */
  reopen?: () => Promise<EventStore>;
  cleanup: () => Promise<void>;
}

/**
 * The behaviour every EventStore adapter must have. Stream ids are random per test and
 * $all assertions only look at the test's own streams, so the suite also runs against a
 * shared EventStoreDB server that other suites write to.
 */
export function describeEventStoreContract(adapterName: string, factory: () => Promise<ContractFixture>): void {
  describe(`EventStore contract: ${adapterName}`, () => {
    let fixture: ContractFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('appends and reads back types, data, metadata, revisions and increasing positions', async () => {
      const streamId = newStreamId();
      const events = [newEvent('TicketOpened', { n: 0 }), newEvent('TicketTagged', { n: 1 }), newEvent('TicketClosed', { n: 2 })];
      const result = await store.append(streamId, events, 'no_stream');
      const read = await store.readStream(streamId);

      expect(result.nextRevision).toBe(2);
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(read.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(read.map((e) => e.type)).toEqual(['TicketOpened', 'TicketTagged', 'TicketClosed']);
      expect(read.map((e) => e.data)).toEqual(events.map((e) => e.data));
      expect(read.map((e) => e.metadata)).toEqual(events.map((e) => e.metadata));
      expect(read.every((e) => e.streamId === streamId)).toBe(true);
      expect(read.every((e) => !Number.isNaN(Date.parse(e.createdAt)))).toBe(true);
      expectStrictlyIncreasing(read.map((e) => e.position));
      expect(read[0].position).toBeGreaterThan(0);
      expect(result.position).toBe(read[2].position);
      expect(await store.headPosition()).toBeGreaterThanOrEqual(read[2].position);
    });

    it('returns [] for a stream that does not exist', async () => {
      expect(await store.readStream(newStreamId())).toEqual([]);
      expect(await store.readStream(newStreamId(), { direction: 'backwards' })).toEqual([]);
    });

    it('no_stream: succeeds on a new stream, fails once it exists', async () => {
      const streamId = newStreamId();
      await store.append(streamId, [newEvent()], 'no_stream');
      const error = await store.append(streamId, [newEvent()], 'no_stream').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).streamId).toBe(streamId);
      expect((error as WrongExpectedRevisionError).actual).toBe(0);
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('exact revision: succeeds when it matches, fails when it does not or the stream is missing', async () => {
      const streamId = newStreamId();
      await expect(store.append(streamId, [newEvent()], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      await store.append(streamId, [newEvent()], 'no_stream');
      const next = await store.append(streamId, [newEvent(), newEvent()], 0);
      expect(next.nextRevision).toBe(2);
      const error = await store.append(streamId, [newEvent()], 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(2);
      expect((await store.append(streamId, [newEvent()], 2)).nextRevision).toBe(3);
      expect(await store.readStream(streamId)).toHaveLength(4);
    });

    it('stream_exists: fails on a missing stream, succeeds on an existing one', async () => {
      const streamId = newStreamId();
      await expect(store.append(streamId, [newEvent()], 'stream_exists')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(streamId)).toEqual([]);
      await store.append(streamId, [newEvent()], 'no_stream');
      expect((await store.append(streamId, [newEvent()], 'stream_exists')).nextRevision).toBe(1);
    });

    it('any: appends whatever the stream state (also the default)', async () => {
      const streamId = newStreamId();
      expect((await store.append(streamId, [newEvent()], 'any')).nextRevision).toBe(0);
      expect((await store.append(streamId, [newEvent()], 'any')).nextRevision).toBe(1);
      expect((await store.append(streamId, [newEvent()])).nextRevision).toBe(2);
    });

    it('two concurrent appends at the same expected revision: exactly one wins', async () => {
      const streamId = newStreamId();
      await store.append(streamId, [newEvent()], 'no_stream');
      const [a, b] = await Promise.allSettled([store.append(streamId, [newEvent('A')], 0), store.append(streamId, [newEvent('B')], 0)]);
      const outcomes = [a, b];
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('appendToStreams: every stream written at once, one result per stream, positions in request order', async () => {
      const [a, b] = [newStreamId(), newStreamId()];
      await store.append(a, [newEvent()], 'no_stream');
      const results = await store.appendToStreams([
        { streamId: a, events: [newEvent('A1'), newEvent('A2')], expectedRevision: 0 },
        { streamId: b, events: [newEvent('B1')], expectedRevision: 'no_stream' },
      ]);
      const [readA, readB] = [await store.readStream(a), await store.readStream(b)];
      expect(readA.map((e) => e.type)).toEqual(['Test', 'A1', 'A2']);
      expect(readB.map((e) => e.type)).toEqual(['B1']);
      expect(results.map((r) => r.nextRevision)).toEqual([2, 0]);
      expect(results[1].position).toBe(readB[0].position);
      expect(readB[0].position).toBeGreaterThan(readA[2].position);
    });

    it('appendToStreams: one stream at the wrong revision writes nothing to any stream', async () => {
      const [a, b] = [newStreamId(), newStreamId()];
      await store.append(a, [newEvent()], 'no_stream');
      await store.append(b, [newEvent()], 'no_stream');
      const error = await store
        .appendToStreams([
          { streamId: a, events: [newEvent('A')], expectedRevision: 0 },
          { streamId: b, events: [newEvent('B')], expectedRevision: 5 },
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).streamId).toBe(b);
      expect(await store.readStream(a)).toHaveLength(1);
      expect(await store.readStream(b)).toHaveLength(1);
    });

    it('appendToStreams racing over shared streams (A+B against B+A, 10 times over): exactly one of each pair commits, whole', async () => {
      for (let round = 0; round < 10; round++) {
        const [a, b] = [newStreamId(), newStreamId()];
        await Promise.all([store.append(a, [newEvent()], 'no_stream'), store.append(b, [newEvent()], 'no_stream')]);
        const outcomes = await Promise.allSettled([
          store.appendToStreams([
            { streamId: a, events: [newEvent('AintoB')], expectedRevision: 0 },
            { streamId: b, events: [newEvent('AintoB')], expectedRevision: 0 },
          ]),
          store.appendToStreams([
            { streamId: b, events: [newEvent('BintoA')], expectedRevision: 0 },
            { streamId: a, events: [newEvent('BintoA')], expectedRevision: 0 },
          ]),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const [readA, readB] = [await store.readStream(a), await store.readStream(b)];
        expect(readA).toHaveLength(2);
        expect(readB).toHaveLength(2);
        expect(readA[1].type).toBe(readB[1].type);
      }
    });

    it('20 concurrent appends at one expected revision, 10 times over: exactly one wins each time', async () => {
      for (let round = 0; round < 10; round++) {
        const streamId = newStreamId();
        await store.append(streamId, [newEvent()], 'no_stream');
        const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => store.append(streamId, [newEvent(`E${i}`)], 0)));
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason instanceof WrongExpectedRevisionError)).toBe(
          true,
        );
        expect(await store.readStream(streamId)).toHaveLength(2);
      }
    });

    it("checksHashChain: an append whose prev_hash is not the last event's hash is refused, even at the right revision", async () => {
      if (!store.checksHashChain) {
        // Stores that check revisions only: the command runner decides on committed states there.
        expect(store.checksHashChain).toBe(false);
        return;
      }
      const streamId = newStreamId();
      const first = chained(newEvent(), null, 'h0');
      await store.append(streamId, [first], 'no_stream');
      const wrongLink = chained(newEvent(), 'not-h0', 'h1');
      const error = await store.append(streamId, [wrongLink], 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).hashMismatch).toBe(true);
      await expect(store.append(streamId, [chained(newEvent(), null, 'h1')], 0)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect((await store.append(streamId, [chained(newEvent(), 'h0', 'h1')], 0)).nextRevision).toBe(1);
      // A first event must say it has no predecessor.
      await expect(store.append(newStreamId(), [chained(newEvent(), 'h0', 'hx')], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      expect(await store.readStream(streamId)).toHaveLength(2);
    });

    it('50 concurrent appends to 50 different streams all succeed', async () => {
      const streamIds = Array.from({ length: 50 }, () => newStreamId());
      const results = await Promise.all(streamIds.map((id) => store.append(id, [newEvent()], 'no_stream')));
      expect(results.every((r) => r.nextRevision === 0)).toBe(true);
      expect(new Set(results.map((r) => r.position)).size).toBe(50);
      for (const id of streamIds) expect(await store.readStream(id)).toHaveLength(1);
    });

    it('writes a repeated event id once (a retried append is idempotent)', async () => {
      const streamId = newStreamId();
      const events = [newEvent('One'), newEvent('Two')];
      const first = await store.append(streamId, events, 'no_stream');
      const retry = await store.append(streamId, events, 'no_stream');
      expect(retry).toEqual(first);
      expect(await store.readStream(streamId)).toHaveLength(2);

      await store.append(streamId, [newEvent('Three')], 1);
      await expect(store.append(streamId, events, 'no_stream')).resolves.toBeDefined();
      const read = await store.readStream(streamId);
      expect(read.map((e) => e.type)).toEqual(['One', 'Two', 'Three']);
    });

    it('reads a stream backwards and with fromRevision / maxCount', async () => {
      const streamId = newStreamId();
      await store.append(
        streamId,
        [0, 1, 2, 3, 4].map((n) => newEvent('Numbered', { n })),
        'no_stream',
      );

      const revisions = async (options: Parameters<EventStore['readStream']>[1]) => (await store.readStream(streamId, options)).map((e) => e.revision);
      expect(await revisions({ direction: 'backwards' })).toEqual([4, 3, 2, 1, 0]);
      expect(await revisions({ direction: 'backwards', maxCount: 1 })).toEqual([4]);
      expect(await revisions({ direction: 'backwards', fromRevision: 3, maxCount: 2 })).toEqual([3, 2]);
      expect(await revisions({ fromRevision: 2, maxCount: 2 })).toEqual([2, 3]);
      expect(await revisions({ fromRevision: 3 })).toEqual([3, 4]);
      expect(await revisions({ maxCount: 2 })).toEqual([0, 1]);
    });

    it('reads $all after a position, with maxCount, in position order', async () => {
      const head = await store.headPosition();
      const streamId = newStreamId();
      const events = [0, 1, 2, 3, 4].map((n) => newEvent('Numbered', { n }));
      await store.append(streamId, events, 'no_stream');

      const page = await store.readAll({ afterPosition: head, maxCount: 3 });
      expect(page.length).toBeGreaterThan(0);
      expect(page.length).toBeLessThanOrEqual(3);
      expect(page.every((e) => e.position > head)).toBe(true);
      expectStrictlyIncreasing(page.map((e) => e.position));

      // Paging with the last position as checkpoint yields every event exactly once.
      const ours: RecordedEvent[] = [];
      let checkpoint = head;
      for (let guard = 0; ours.length < 5 && guard < 1000; guard++) {
        const next = await store.readAll({ afterPosition: checkpoint, maxCount: 2 });
        if (next.length === 0) break;
        expect(next[0].position).toBeGreaterThan(checkpoint);
        checkpoint = next[next.length - 1].position;
        ours.push(...next.filter((e) => e.streamId === streamId));
      }
      expect(ours.map((e) => e.id)).toEqual(events.map((e) => e.id));
      expect(ours[0].data).toEqual({ n: 0 });
    });

    it('reads $all filtered by event type: only those types, in order, maxCount counting them', async () => {
      const head = await store.headPosition();
      const streamId = newStreamId();
      const kinds = ['Kept', 'Skipped', 'Skipped', 'AlsoKept', 'Skipped', 'Kept', 'Kept'];
      const events = kinds.map((type, n) => newEvent(type, { n }));
      await store.append(streamId, events, 'no_stream');
      const eventTypes = new Set(['Kept', 'AlsoKept']);

      const all = await store.readAll({ afterPosition: head, eventTypes });
      expect(all.map((e) => e.type)).toEqual(['Kept', 'AlsoKept', 'Kept', 'Kept']);
      expect(all.map((e) => e.data)).toEqual([{ n: 0 }, { n: 3 }, { n: 5 }, { n: 6 }]);
      expectStrictlyIncreasing(all.map((e) => e.position));

      const page = await store.readAll({ afterPosition: head, maxCount: 2, eventTypes });
      expect(page.map((e) => e.id)).toEqual([events[0].id, events[3].id]);
      const rest = await store.readAll({ afterPosition: page[1].position, maxCount: 5, eventTypes });
      expect(rest.map((e) => e.id)).toEqual([events[5].id, events[6].id]);
      expect(await store.readAll({ afterPosition: head, eventTypes: new Set(['NoSuchType']) })).toEqual([]);
    });

    it('round-trips large events (20,000-character message)', async () => {
      const streamId = newStreamId();
      const message = 'x'.repeat(19_990) + 'ünïcødé!!';
      await store.append(streamId, [newEvent('MessageReceived', { message })], 'no_stream');
      const [read] = await store.readStream(streamId);
      expect(read.data).toEqual({ message });
      expect((read.data.message as string).length).toBe(message.length);
    });

    it('a subscription from P delivers every later event exactly once, in order, including live appends', async () => {
      const head = await store.headPosition();
      const streamA = newStreamId();
      const streamB = newStreamId();
      const before = [newEvent('A0'), newEvent('A1')];
      await store.append(streamA, before, 'no_stream');

      const subscription = store.subscribeToAll({ afterPosition: head });
      const reader = new SubscriptionReader(subscription);
      try {
        const caughtUp = await reader.take(2, (e) => e.streamId === streamA || e.streamId === streamB);
        expect(caughtUp.map((e) => e.id)).toEqual(before.map((e) => e.id));

        const live = [newEvent('B0'), newEvent('B1'), newEvent('B2')];
        await store.append(streamB, live.slice(0, 2), 'no_stream');
        await store.append(streamB, live.slice(2), 1);
        const liveRead = await reader.take(3, (e) => e.streamId === streamA || e.streamId === streamB);
        expect(liveRead.map((e) => e.id)).toEqual(live.map((e) => e.id));

        const all = reader.delivered;
        expect(all.every((e) => e.position > head)).toBe(true);
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
        expect(all.some((e) => e.type.startsWith('$'))).toBe(false);
      } finally {
        await subscription.close();
      }
    });

    it('close() ends a subscription promptly, resolving a pending next() as done', async () => {
      const subscription = store.subscribeToAll({ afterPosition: await store.headPosition() });
      const iterator = subscription[Symbol.asyncIterator]();
      const pending = iterator.next();
      await delay(50);
      await subscription.close();
      await expect(withTimeout(pending, 2_000)).resolves.toMatchObject({ done: true });
    });

    it('resumes across a restart from the last seen position with exactly the rest', async () => {
      if (!fixture.reopen) throw new Error('the fixture must provide reopen() for the restart test');
      const head = await store.headPosition();
      const streamId = newStreamId();
      const firstHalf = [newEvent('E0'), newEvent('E1'), newEvent('E2')];
      await store.append(streamId, firstHalf, 'no_stream');

      const before = store.subscribeToAll({ afterPosition: head });
      const seen = await new SubscriptionReader(before).take(3, (e) => e.streamId === streamId);
      await before.close();
      const lastSeen = seen[seen.length - 1].position;
      await store.close();

      store = await fixture.reopen();
      const secondHalf = [newEvent('E3'), newEvent('E4')];
      await store.append(streamId, secondHalf, 2);
      const after = store.subscribeToAll({ afterPosition: lastSeen });
      const reader = new SubscriptionReader(after);
      try {
        const rest = await reader.take(2, (e) => e.streamId === streamId);
        expect(rest.map((e) => e.id)).toEqual(secondHalf.map((e) => e.id));
        expect(reader.delivered.every((e) => e.position > lastSeen)).toBe(true);
        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      } finally {
        await after.close();
      }
    });

    it('ping() succeeds on a reachable store', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

/** Pulls from one iterator across several take() calls, keeping everything it saw. */
class SubscriptionReader {
  readonly delivered: RecordedEvent[] = [];
  private readonly iterator: AsyncIterator<RecordedEvent>;

  constructor(subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  async take(count: number, mine: (e: RecordedEvent) => boolean, timeoutMs = 10_000): Promise<RecordedEvent[]> {
    const taken: RecordedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (taken.length < count) {
      const step = await withTimeout(this.iterator.next(), deadline - Date.now());
      if (step.done) throw new Error(`subscription ended after ${taken.length}/${count} events`);
      this.delivered.push(step.value);
      if (mine(step.value)) taken.push(step.value);
    }
    return taken;
  }
}

export function newStreamId(): string {
  return `contract-${randomUUID()}`;
}

export function newEvent(type = 'Test', data: Record<string, unknown> = { value: randomUUID() }): NewEvent {
  return {
    id: randomUUID(),
    type,
    data,
    metadata: {
      workspace_id: 'ws_contract',
      actor: { type: 'system', id: null },
      request_id: randomUUID(),
      correlation_id: randomUUID(),
      causation_id: null,
      occurred_at: new Date().toISOString(),
      schema_version: 1,
    },
  };
}

/** The hash-chain fields the command runner sets (any strings do for the store's check). */
function chained(event: NewEvent, prevHash: string | null, hash: string): NewEvent {
  return { ...event, metadata: { ...event.metadata, prev_hash: prevHash, hash } };
}

function expectStrictlyIncreasing(values: number[]): void {
  values.slice(1).forEach((value, i) => expect(value).toBeGreaterThan(values[i]));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), Math.max(ms, 0));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
