import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { EventStoreUnavailableError } from '../event-store.errors';
import { applyDurabilityPragmas, createSchema } from './sqlite-schema';
import { EventRow, toRecordedEvent } from './sqlite-event-row';
import { assertExpectedRevision } from './sqlite-expected-revision';
import { APPENDED_SIGNAL, PollingSubscription } from './polling-subscription';

export interface SqliteEventStoreOptions {
  /** Catch-up page size of subscriptions. */
  subscriptionPageSize?: number;
  /** How often an idle subscription re-reads the file, to see other processes' appends. */
  pollIntervalMs?: number;
}

interface PendingAppend {
  streamId: string;
  events: NewEvent[];
  expected: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

/**
 * Upper bound on the events kept in memory for live subscriptions: a subscriber further behind
 * than this reads the file, like a catch-up.
 */
const MAX_RECENT_EVENTS = 8_192;

const NO_LIMIT = -1; // SQLite: a negative LIMIT means unbounded.

/**
 * Embedded event store on one SQLite file.
 *
 * Group commit: appends requested in the same tick are queued and written by one
 * transaction scheduled with setImmediate, so N concurrent appends cost one fsync. Each
 * append runs inside its own SAVEPOINT: a concurrency failure rolls back only that
 * append, and appends later in the batch see the earlier ones (same connection, same
 * transaction). Promises settle only after COMMIT returned, i.e. after the fsync.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly notifier = new EventEmitter();
  private readonly subscriptions = new Set<PollingSubscription>();
  /**
   * Events committed by this process, in position order, not yet delivered to every live
   * subscription (at most MAX_RECENT_EVENTS): handed to subscriptions instead of re-reading
   * and re-parsing them from the file once per subscriber.
   */
  private recentEvents: RecordedEvent[] = [];
  /** Position of the last event this process committed (0: none yet). */
  private lastLocalPosition = 0;
  private queue: PendingAppend[] = [];
  private flushHandle: NodeJS.Immediate | null = null;
  private closed = false;
  private batches = 0;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(readonly filePath: string, options: SqliteEventStoreOptions = {}) {
    this.pageSize = options.subscriptionPageSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.db = new Database(filePath);
    applyDurabilityPragmas(this.db);
    createSchema(this.db);
    this.sql = prepareStatements(this.db);
    // Many subscribers (projector, worker, waiters) may listen at once.
    this.notifier.setMaxListeners(0);
  }

  /** Number of transactions committed by group commit (a stat for tests and metrics). */
  get committedBatches(): number {
    return this.batches;
  }

  /** The durability settings actually in force on this connection. */
  durabilitySettings(): { journalMode: string; synchronous: number } {
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
    };
  }

  append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('SQLite event store is closed'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, expected: expectedRevision, resolve, reject });
      this.flushHandle ??= setImmediate(() => this.flush());
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const limit = options.maxCount ?? NO_LIMIT;
    const rows =
      options.direction === 'backwards'
        ? this.sql.readStreamBackwards.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.sql.readStreamForwards.all(streamId, options.fromRevision ?? 0, limit);
    return (rows as EventRow[]).map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    return this.readPage(options.afterPosition ?? 0, options.maxCount ?? NO_LIMIT);
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    const subscription = new PollingSubscription({
      afterPosition: options.afterPosition ?? 0,
      readPage: (after, limit) => this.readPage(after, limit),
      recent: (after, limit) => this.recent(after, limit),
      localHead: () => this.lastLocalPosition,
      notifier: this.notifier,
      pageSize: this.pageSize,
      pollIntervalMs: this.pollIntervalMs,
      onClose: () => this.subscriptions.delete(subscription),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return (this.sql.head.get() as { head: number }).head;
  }

  async ping(): Promise<void> {
    this.assertOpen();
    this.sql.ping.get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Appends already accepted must still be written (graceful drain on SIGTERM).
    this.flush();
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.subscriptions.clear();
    this.recentEvents = [];
    this.db.close();
  }

  /** See PollingSubscriptionOptions.recent. */
  private recent(afterPosition: number, limit: number): RecordedEvent[] | null {
    if (afterPosition >= this.lastLocalPosition) return [];
    const buffer = this.recentEvents;
    if (buffer.length === 0 || afterPosition + 1 < buffer[0].position) return null;
    // Positions ascend: binary search for the first event after afterPosition.
    let lo = 0;
    let hi = buffer.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (buffer[mid].position <= afterPosition) lo = mid + 1;
      else hi = mid;
    }
    // Only an exact continuation proves nothing lies in between (another process's events).
    if (lo === buffer.length || buffer[lo].position !== afterPosition + 1) return null;
    const end = Math.min(buffer.length, lo + limit);
    let i = lo + 1;
    while (i < end && buffer[i].position === buffer[i - 1].position + 1) i++;
    return buffer.slice(lo, i);
  }

  /** Keeps only the committed events some live subscription has yet to receive. */
  private rememberCommitted(committed: RecordedEvent[]): void {
    let low = Number.POSITIVE_INFINITY;
    for (const subscription of this.subscriptions) low = Math.min(low, subscription.position);
    let buffer = this.recentEvents;
    if (committed.length) buffer = buffer.length ? buffer.concat(committed) : committed;
    let drop = 0;
    while (drop < buffer.length && buffer[drop].position <= low) drop++;
    drop = Math.max(drop, buffer.length - MAX_RECENT_EVENTS);
    this.recentEvents = drop > 0 ? buffer.slice(drop) : buffer;
  }

  private readPage(afterPosition: number, limit: number): RecordedEvent[] {
    return (this.sql.readAll.all(afterPosition, limit) as EventRow[]).map(toRecordedEvent);
  }

  private flush(): void {
    if (this.flushHandle) clearImmediate(this.flushHandle);
    this.flushHandle = null;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;

    let outcomes: Outcome[];
    const committed: RecordedEvent[] = [];
    try {
      outcomes = this.writeBatch(batch, committed);
    } catch (error) {
      // The transaction itself failed (busy, disk full, I/O): nothing was committed.
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      const failure = new EventStoreUnavailableError('SQLite append batch failed', { cause: error });
      for (const pending of batch) pending.reject(failure);
      return;
    }
    if (committed.length) this.lastLocalPosition = committed[committed.length - 1].position;
    this.rememberCommitted(committed);
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.result);
      else pending.reject(outcome.error);
    });
    this.notifier.emit(APPENDED_SIGNAL);
  }

  /** One transaction, one SAVEPOINT per append; returns after COMMIT (fsync). */
  private writeBatch(batch: PendingAppend[], committed: RecordedEvent[]): Outcome[] {
    const outcomes: Outcome[] = [];
    const written: RecordedEvent[] = [];
    // IMMEDIATE takes the write lock up front, so revision checks cannot race another process.
    this.sql.begin.run();
    for (const pending of batch) {
      this.sql.savepoint.run();
      const mark = written.length;
      try {
        outcomes.push({ ok: true, result: this.applyAppend(pending, written) });
        this.sql.release.run();
      } catch (error) {
        written.length = mark; // rolled back: never committed

        this.sql.rollbackToSavepoint.run();
        this.sql.release.run();
        outcomes.push({ ok: false, error });
      }
    }
    this.sql.commit.run();
    this.batches += 1;
    for (const event of written) committed.push(event);
    return outcomes;
  }

  /** Writes one append; pushes the events it wrote, as subscribers will receive them, to `written`. */
  private applyAppend({ streamId, events, expected }: PendingAppend, written: RecordedEvent[]): AppendResult {
    const current = (this.sql.streamRevision.get(streamId) as { revision: number } | undefined)?.revision;
    const existing = events.map(
      (event) => this.sql.eventById.get(event.id) as { revision: number; position: number } | undefined,
    );
    const last = existing[existing.length - 1];
    // A retry of an append that already committed: report where its events are, write
    // nothing and skip the revision check (the stream may have moved on since).
    if (events.length > 0 && last && existing.every(Boolean)) {
      return { nextRevision: last.revision, position: last.position };
    }
    assertExpectedRevision(streamId, expected, current);

    let revision = current ?? -1;
    let position = 0;
    const createdAt = new Date().toISOString();
    const ids = new Set<string>();
    events.forEach((event, i) => {
      if (existing[i] || ids.has(event.id)) return; // ids already in the log are written once
      ids.add(event.id);
      revision += 1;
      const data = JSON.stringify(event.data);
      const metadata = JSON.stringify(event.metadata);
      const info = this.sql.insertEvent.run(event.id, streamId, revision, event.type, data, metadata, createdAt);
      position = Number(info.lastInsertRowid);
      // Exactly what a read of the row returns (JSON round trip), and independent of the
      // caller's objects, which it may still change.
      written.push(
        toRecordedEvent({ position, id: event.id, stream_id: streamId, revision, type: event.type, data, metadata, created_at: createdAt }),
      );
    });
    if (ids.size === 0) {
      // Empty append: nothing to write; report the current state.
      return { nextRevision: revision, position: (this.sql.head.get() as { head: number }).head };
    }
    this.sql.upsertStream.run(streamId, revision);
    return { nextRevision: revision, position };
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('SQLite event store is closed');
  }
}

const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, created_at';

function prepareStatements(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    savepoint: db.prepare('SAVEPOINT append_one'),
    release: db.prepare('RELEASE append_one'),
    rollbackToSavepoint: db.prepare('ROLLBACK TO append_one'),
    streamRevision: db.prepare('SELECT revision FROM streams WHERE stream_id = ?'),
    eventById: db.prepare('SELECT revision, position FROM events WHERE id = ?'),
    insertEvent: db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    upsertStream: db.prepare(
      `INSERT INTO streams (stream_id, revision) VALUES (?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
    ),
    readStreamForwards: db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`,
    ),
    readStreamBackwards: db.prepare(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`,
    ),
    readAll: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`),
    head: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    ping: db.prepare('SELECT 1 AS ok'),
  };
}

