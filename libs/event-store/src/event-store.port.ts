/**
 * The event store port. The event log is the only source of truth; every adapter
 * (embedded SQLite, EventStoreDB) passes the same contract suite
 * (`event-store.contract.ts`).
 *
 * Positions: every event gets one global, strictly increasing `position` (a
 * non-negative integer). `0` means "before the first event", so a checkpoint of 0
 * reads the whole log. Positions need not be contiguous (EventStoreDB's are byte
 * offsets); the SQLite adapter's are 1, 2, 3...
 *
 * Revisions: the first event of a stream has revision 0.
 */

export const EVENT_STORE = Symbol('EVENT_STORE');

export type JsonObject = { [key: string]: unknown };

export interface EventMetadata {
  workspace_id: string | null;
  actor: { type: 'admin' | 'api_key' | 'inbox_key' | 'user' | 'system' | 'contact_session'; id: string | null };
  request_id: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  occurred_at: string;
  schema_version: number;
  /** Tamper evidence (issue 5): set by the append path, never by callers. */
  prev_hash?: string | null;
  hash?: string;
  [key: string]: unknown;
}

export interface NewEvent<T extends string = string, D extends JsonObject = JsonObject> {
  /** Event id (UUID). Appending an id that is already in the log writes nothing. */
  id: string;
  type: T;
  data: D;
  metadata: EventMetadata;
}

export interface RecordedEvent<T extends string = string, D extends JsonObject = JsonObject> {
  id: string;
  streamId: string;
  type: T;
  revision: number;
  position: number;
  data: D;
  metadata: EventMetadata;
  /** ISO-8601, when the store recorded it. */
  createdAt: string;
}

/**
 * `'any'`: no check. `'no_stream'`: the stream must not exist.
 * `'stream_exists'`: it must exist. A number: the stream's last revision must be exactly that.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | number;

/** One stream's part of an atomic multi-stream append (`appendToStreams`). */
export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the stream's last event after the append. */
  nextRevision: number;
  /** Global position of the last event written (or already present, for an idempotent repeat). */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Exclusive: events with position > afterPosition. Defaults to 0 (the whole log). */
  afterPosition?: number;
  /** At most this many events (counted after `eventTypes` filtered them). */
  maxCount?: number;
  /**
   * Only events of these types (a projection catching up reads only what it applies). A page
   * shorter than `maxCount` still means the log was read to its end.
   */
  eventTypes?: ReadonlySet<string>;
}

export interface SubscribeOptions {
  /** Exclusive: the subscription delivers events with position > afterPosition, in order. */
  afterPosition?: number;
}

/**
 * A live subscription to the whole log. Iterate it with `for await`; it first catches up
 * from `afterPosition`, then waits for new events. It never skips or reorders. System
 * events (EventStoreDB's `$`-prefixed ones) are filtered out. `close()` ends the iteration.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expectedRevision?: ExpectedRevision): Promise<AppendResult>;
  /**
   * Appends to several streams atomically: every stream's expectation holds and all the events
   * are written, or nothing is (the first failure is thrown). One result per append, in order.
   * A stream may appear once.
   */
  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]>;
  /**
   * True when the store also checks the hash chain inside the append: an append whose first
   * event's `metadata.prev_hash` is set (a string, or null for a stream's first event) is
   * refused with WrongExpectedRevisionError unless it equals `metadata.hash` of the stream's
   * last stored event. A command decided on a state that was never stored (built on an append
   * that failed) then can never land, so the command runner may decide on appends still in
   * flight. Where false, the runner decides only on committed states.
   */
  readonly checksHashChain: boolean;
  /**
   * Optional, for adapters that can tell cheaply: false when the stream was surely not in the
   * log when this process last knew it (it never appended to it). May be stale about other
   * processes' appends: use a false only where an append expecting 'no_stream' follows.
   */
  streamMayExist?(streamId: string): boolean;
  /** Returns [] for a stream that does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Position of the last event in the log, 0 when empty. */
  headPosition(): Promise<number>;
  /** Cheap reachability check for /health/ready. Throws when unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
