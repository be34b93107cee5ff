import { LRUCache } from 'lru-cache';
import { fold, type Decider, type DomainEvent } from '@ledgerdesk/event-sourcing';
import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';

const MAX_FOLDED_STREAMS = 10_000;

/**
 * Small aggregates (a workspace's webhook endpoints, its Slack settings, an inbox) folded
 * "as of" a log position: only events with position < `beforePosition` count, so the same
 * event always yields the same destinations, however late it is dispatched again.
 */
export class StreamFolds {
  private readonly cache = new LRUCache<string, RecordedEvent[]>({ max: MAX_FOLDED_STREAMS });

  constructor(private readonly store: EventStore) {}

  /** Keeps cached streams current as the dispatcher reads the log. */
  observe(event: RecordedEvent): void {
    const cached = this.cache.peek(event.streamId);
    if (cached && !cached.some((e) => e.id === event.id)) cached.push(event);
  }

  async events(streamId: string, beforePosition: number): Promise<RecordedEvent[]> {
    return (await this.known(streamId)).filter((e) => e.position < beforePosition);
  }

  /**
   * Every event of the stream known so far, in log order, possibly past the reader's position
   * (read-only, not copied: the hot paths check it per event without allocating).
   */
  async known(streamId: string): Promise<readonly RecordedEvent[]> {
    let events = this.cache.get(streamId);
    if (!events) {
      events = await this.store.readStream(streamId);
      this.cache.set(streamId, events);
    }
    return events;
  }

  async fold<S>(streamId: string, decider: Pick<Decider<unknown, DomainEvent, S>, 'evolve' | 'initialState'>, beforePosition: number): Promise<S> {
    const events = await this.events(streamId, beforePosition);
    return fold(decider, events);
  }
}

export async function foldCurrent<S>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<unknown, DomainEvent, S>, 'evolve' | 'initialState'>,
): Promise<S> {
  const events = await store.readStream(streamId);
  return fold(decider, events);
}

interface CurrentEntry {
  state: unknown;
  revision: number;
  lastId: string;
  /** The log's head position seen before the stream was read. */
  head: number;
}

const MAX_CURRENT = 10_000;

/**
 * `foldCurrent` with a cache: small streams (a workspace's endpoints, an inbox, Slack settings)
 * are read on every delivery, but change rarely. Each call still asks the log, so the state is
 * exactly as current as a full read: when nothing at all was written since the cached state
 * was read (the log's head position is the same), it is returned as it is; otherwise the
 * stream's last event (one indexed row) tells whether it grew, and only new events are read
 * and folded onto it. Entries are per (stream, fold).
 */
export class CurrentFolds {
  private readonly cache = new LRUCache<string, CurrentEntry>({ max: MAX_CURRENT });
  private readonly foldIds = new WeakMap<object, number>();

  constructor(private readonly store: EventStore) {}

  /** The log's head position: read once by a caller whose folds may share it (see fold). */
  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  /**
   * `head`: the log's head position the caller has just read (headPosition), so that the folds
   * of one use (an attempt's destination and its customer) cost one read of it, not one each.
   */
  async fold<S>(streamId: string, decider: Pick<Decider<unknown, DomainEvent, S>, 'evolve' | 'initialState'>, head?: number): Promise<S> {
    let foldId = this.foldIds.get(decider);
    if (foldId === undefined) this.foldIds.set(decider, (foldId = this.foldIds.get(decider) ?? nextFoldId++));
    const key = `${foldId}:${streamId}`;
    head ??= await this.store.headPosition();
    const cached = this.cache.get(key);
    if (cached && cached.head === head) return cached.state as S;
    const [last] = await this.store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (!last) {
      this.cache.delete(key);
      return decider.initialState;
    }
    if (cached && cached.revision === last.revision && cached.lastId === last.id) {
      cached.head = head;
      return cached.state as S;
    }
    let state: S;
    if (cached && cached.revision < last.revision) {
      const events = await this.store.readStream(streamId, { fromRevision: cached.revision + 1 });
      state = fold(decider, events, cached.state as S);
      const end = events[events.length - 1];
      // The stream moved on again between the two reads: cache what was folded.
      this.remember(key, { state, revision: end?.revision ?? cached.revision, lastId: end?.id ?? cached.lastId, head });
      return state;
    }
    const events = await this.store.readStream(streamId);
    state = fold(decider, events);
    const end = events[events.length - 1];
    if (end) this.remember(key, { state, revision: end.revision, lastId: end.id, head });
    return state;
  }

  private remember(key: string, entry: CurrentEntry): void {
    this.cache.set(key, entry);
  }
}

let nextFoldId = 0;

/** An inbox as deliveries need it: its settings and its callback secret. */
export interface InboxDestination {
  exists: boolean;
  id: string | null;
  name: string;
  enabled: boolean;
  slack_channel_id: string | null;
  callback_url: string | null;
  callback_secret: string | null;
}

export const inboxDestinationFold: Pick<Decider<unknown, DomainEvent, InboxDestination>, 'evolve' | 'initialState'> = {
  initialState: { exists: false, id: null, name: '', enabled: true, slack_channel_id: null, callback_url: null, callback_secret: null },
  evolve(state, event) {
    const data = event.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    switch (event.type) {
      case 'InboxCreated':
        return {
          ...state,
          exists: true,
          id: data.inbox_id,
          name: data.name,
          enabled: data.enabled ?? true,
          slack_channel_id: data.slack_channel_id ?? null,
          callback_url: data.callback_url ?? null,
        };
      case 'InboxUpdated':
        return { ...state, ...pick(data.changes ?? {}, ['name', 'enabled', 'slack_channel_id', 'callback_url']) };
      case 'InboxCallbackSecretIssued':
        return { ...state, callback_secret: data.secret };
      case 'InboxDeleted':
        return { ...state, exists: false };
      default:
        return state;
    }
  },
};

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in source) out[k] = source[k];
  return out;
}

export const inboxStreamIdOf = (inboxId: string) => `inbox-${inboxId}`;
