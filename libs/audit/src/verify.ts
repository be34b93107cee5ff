import { CHAIN_START, chainProblem, linkAfter, type ChainLink, type ChainProblem } from '@ledgerdesk/event-sourcing';
import { UnreadableEventError, type EventStore, type RecordedEvent } from '@ledgerdesk/event-store';

export interface BrokenChain {
  stream: string;
  /** First revision whose hash or link does not hold. */
  revision: number;
  position: number;
  /** `unreadable`: the stored event is not an event any more (its data or metadata is not a JSON object). */
  reason: ChainProblem | 'unreadable';
}

export interface VerificationReport {
  ok: boolean;
  streams: number;
  events: number;
  broken: BrokenChain[];
}

export interface VerifyOptions {
  /** Only streams whose first event belongs to this workspace. */
  workspaceId?: string;
  /** Only this stream. */
  stream?: string;
  /** Called every page with the number of events checked so far. */
  onProgress?: (checked: number) => void;
}

const PAGE = 1000;

interface StreamState {
  include: boolean;
  link: ChainLink;
  broken: boolean;
}

/**
 * Checks the hash chains (metadata.prev_hash / metadata.hash, see event-hash.ts) of every
 * stream, or one stream, or one workspace's streams. The whole log is read once, in pages, in
 * log order; memory is O(number of streams). Reports the first broken revision of each broken
 * stream.
 */
export async function verifyStreams(store: EventStore, options: VerifyOptions = {}): Promise<VerificationReport> {
  const streams = new Map<string, StreamState>();
  const broken: BrokenChain[] = [];
  let events = 0;

  const check = (event: RecordedEvent) => {
    let state = streams.get(event.streamId);
    if (!state) {
      const include = options.workspaceId === undefined || event.metadata.workspace_id === options.workspaceId;
      state = { include, link: CHAIN_START, broken: false };
      streams.set(event.streamId, state);
    }
    if (!state.include || state.broken) return;
    events++;
    const reason = chainProblem(event, state.link);
    if (reason) {
      state.broken = true;
      broken.push({ stream: event.streamId, revision: event.revision, position: event.position, reason });
      return;
    }
    state.link = linkAfter(event);
  };

  // An unreadable event breaks its stream there. Its workspace cannot be read either: it counts
  // for a workspace's verification unless its stream is known to be another workspace's.
  const unreadable = (error: UnreadableEventError) => {
    const state = streams.get(error.streamId) ?? { include: true, link: CHAIN_START, broken: false };
    streams.set(error.streamId, state);
    if (!state.include || state.broken) return;
    state.broken = true;
    events++;
    broken.push({ stream: error.streamId, revision: error.revision, position: error.position, reason: 'unreadable' });
  };

  if (options.stream !== undefined) {
    const stream = options.stream;
    const read = await readPast(
      () => store.readStream(stream),
      async (before) => (await store.readStream(stream, { fromRevision: before ? before.revision + 1 : 0, maxCount: 1 }))[0],
    );
    for (const event of read.events) check(event);
    if (read.unreadable) unreadable(read.unreadable);
    options.onProgress?.(events);
  } else {
    let after = 0;
    for (;;) {
      const from = after;
      const read = await readPast(
        () => store.readAll({ afterPosition: from, maxCount: PAGE }),
        async (before) => (await store.readAll({ afterPosition: before?.position ?? from, maxCount: 1 }))[0],
      );
      for (const event of read.events) check(event);
      if (read.events.length > 0) after = read.events[read.events.length - 1].position;
      options.onProgress?.(events);
      if (read.unreadable) {
        unreadable(read.unreadable);
        after = read.unreadable.position;
      } else if (read.events.length < PAGE) {
        break;
      }
    }
  }
  const included = [...streams.values()].filter((s) => s.include).length;
  return { ok: broken.length === 0, streams: included, events, broken };
}

/**
 * A read (`read`), or, when an event in it is unreadable, the events before that one read one at
 * a time (`next` of the last one read), and the unreadable one's error.
 */
async function readPast(
  read: () => Promise<RecordedEvent[]>,
  next: (last: RecordedEvent | undefined) => Promise<RecordedEvent | undefined>,
): Promise<{ events: RecordedEvent[]; unreadable: UnreadableEventError | null }> {
  try {
    return { events: await read(), unreadable: null };
  } catch (error) {
    if (!(error instanceof UnreadableEventError)) throw error;
  }
  const events: RecordedEvent[] = [];
  for (;;) {
    try {
      const event = await next(events[events.length - 1]);
      if (!event) return { events, unreadable: null };
      events.push(event);
    } catch (error) {
      if (!(error instanceof UnreadableEventError)) throw error;
      return { events, unreadable: error };
    }
  }
}
