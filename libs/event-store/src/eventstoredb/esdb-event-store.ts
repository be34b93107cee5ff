import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  excludeSystemEvents,
  jsonEvent,
} from '@kurrent/kurrentdb-client';
import type { AppendStreamState, ReadPosition, ReadRevision } from '@kurrent/kurrentdb-client';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { translateEsdbError } from './esdb-error.translator';
import { isSystemEvent, toMultiAppendEvent, toRecordedEvent } from './esdb-event.mapper';
import { toEsdbPosition, toPortPosition } from './esdb-position';
import { EsdbSubscription } from './esdb-subscription';

/**
 * KurrentDB / EventStoreDB adapter (`EVENTSTORE_URL=kurrentdb://host:2113?tls=false`; the older
 * `esdb://` scheme is accepted), on the official `@kurrent/kurrentdb-client`.
 *
 * Atomic multi-stream appends (`appendToStreams`) use the server's multi-stream append
 * (KurrentDB 25.1 and later). Appends are checked by revision only (checksHashChain false).
 *
 * Idempotency: the server remembers event ids. Re-sending the same events with the same
 * expected revision (a client retry) succeeds without writing them again and returns
 * the revision they already have; with `any` this is best effort (it holds for recent
 * writes to the same stream, which is what retries are). Unlike the SQLite adapter,
 * a partial overlap (some ids new, some old) is rejected or written according to the
 * server's rules rather than merged.
 *
 * Positions: see esdb-position.ts (we use the prepare position, unique per event).
 */
export class EventStoreDbEventStore implements EventStore {
  /** EventStoreDB checks revisions only: the command runner decides on committed states. */
  readonly checksHashChain = false;
  private readonly client: KurrentDBClient;
  private closed = false;

  constructor(connectionString: string) {
    this.client = KurrentDBClient.connectionString(connectionString.replace(/^esdb(\+discover)?:\/\//, 'kurrentdb$1://'));
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { streamState: toStreamState(expectedRevision) },
      );
      const nextRevision = Number(result.nextExpectedRevision);
      // For an implicit transaction the reported commit position is the log position of
      // the last event's prepare record, i.e. that event's position in our mapping. An
      // idempotent repeat reports no position, so read where the event already is.
      const position = result.position
        ? Math.max(toPortPosition(result.position), Number(result.position.commit))
        : await this.positionOfRevision(streamId, nextRevision);
      return { nextRevision, position };
    } catch (error) {
      throw translateEsdbError(error, expectedRevision);
    }
  }

  async appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.length === 1) return [await this.append(appends[0].streamId, appends[0].events, appends[0].expectedRevision)];
    if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendToStreams: a stream may appear once');
    let result;
    try {
      result = await this.client.multiStreamAppend(
        appends.map((a) => ({ streamName: a.streamId, events: a.events.map(toMultiAppendEvent), expectedState: toStreamState(a.expectedRevision) })),
      );
    } catch (error) {
      const expected = appends.find((a) => a.streamId === (error as { streamName?: string }).streamName)?.expectedRevision;
      throw translateEsdbError(error, expected);
    }
    // The answer has each stream's revision; each stream's last event tells its position.
    return Promise.all(
      appends.map(async (a) => {
        const nextRevision = Number(result.responses.find((r) => r.streamName === a.streamId)?.revision ?? -1);
        return { nextRevision, position: await this.positionOfRevision(a.streamId, nextRevision) };
      }),
    );
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction === 'backwards' ? BACKWARDS : FORWARDS;
    const fromRevision: ReadRevision = options.fromRevision !== undefined ? BigInt(options.fromRevision) : direction === BACKWARDS ? END : START;
    if (options.maxCount === 0) return [];
    const read = this.client.readStream(streamId, {
      direction,
      fromRevision,
      ...(options.maxCount !== undefined ? { maxCount: BigInt(options.maxCount) } : {}),
    });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecordedEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translateEsdbError(error);
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.afterPosition ?? 0;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount <= 0) return [];
    // Reading $all from a position is inclusive, so the checkpoint event itself is dropped.
    const fromPosition: ReadPosition = after > 0 ? toEsdbPosition(after) : START;
    const read = this.client.readAll({ direction: FORWARDS, fromPosition });
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (!event || isSystemEvent(event)) continue;
        if (options.eventTypes && !options.eventTypes.has(event.type)) continue;
        const recorded = toRecordedEvent(event);
        if (recorded.position <= after) continue;
        events.push(recorded);
        if (events.length >= maxCount) break;
      }
    } catch (error) {
      throw translateEsdbError(error);
    } finally {
      // Stop the server-side read when we break early.
      await read.return?.().catch(() => undefined);
    }
    return events;
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const after = options.afterPosition ?? 0;
    // Subscribing from a position delivers events strictly after it.
    const source = this.client.subscribeToAll({
      fromPosition: after > 0 ? toEsdbPosition(after) : START,
      filter: excludeSystemEvents(),
    });
    return new EsdbSubscription(source, after);
  }

  async headPosition(): Promise<number> {
    // System events ($stats, $metadata...) are written on their own; skip back past them.
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END });
    try {
      for await (const resolved of read) {
        const event = resolved.event;
        if (event && !isSystemEvent(event)) return toRecordedEvent(event).position;
      }
      return 0;
    } catch (error) {
      throw translateEsdbError(error);
    } finally {
      await read.return?.().catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    try {
      for await (const _ of read) break;
    } catch (error) {
      throw translateEsdbError(error);
    } finally {
      await read.return?.().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  private async positionOfRevision(streamId: string, revision: number): Promise<number> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event?.position ?? 0;
  }
}

function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}
