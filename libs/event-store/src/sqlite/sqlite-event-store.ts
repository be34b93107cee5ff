import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
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
import { EventStoreUnavailableError } from '../event-store.errors';
import { applyDurabilityPragmas, createSchema } from './sqlite-schema';
import { EVENT_COLUMNS, type EventRow, toRecordedEvent } from './sqlite-event-row';
import { APPENDED_SIGNAL, PollingSubscription } from './polling-subscription';
import { StreamExistenceFilter } from './stream-existence-filter';
import {
  CHECKPOINT_INTERVAL_MS,
  fromWireError,
  WAL_RESTART_PAGES,
  type CheckpointerInit,
  type FromCheckpointer,
  type FromWriter,
  type ToWriter,
  type WireAppend,
  type WireAppendGroup,
  type WireOutcome,
  type WriterInit,
} from './sqlite-writer.protocol';

export interface SqliteEventStoreOptions {
  /** Catch-up page size of subscriptions. */
  subscriptionPageSize?: number;
  /** How often an idle subscription re-reads the file, to see other processes' appends. */
  pollIntervalMs?: number;
  /** How often the checkpointer thread copies the WAL back (default CHECKPOINT_INTERVAL_MS). */
  checkpointIntervalMs?: number;
  /** WAL size, in pages, from which a full copy is finished by the writer (default WAL_RESTART_PAGES). */
  walRestartPages?: number;
}

interface PendingAppend {
  group: WireAppendGroup;
  resolve: (results: AppendResult[]) => void;
  reject: (error: unknown) => void;
}

interface InFlightBatch {
  batchId: number;
  batch: PendingAppend[];
}

interface WriterSettings {
  journalMode: string;
  synchronous: number;
  walAutocheckpoint: number;
}

interface Writer {
  worker: Worker;
  ready: Promise<WriterSettings>;
  /** Set once the thread exited or failed: the next append starts a new one. */
  dead: boolean;
}

/**
 * Upper bound on the events kept in memory for live subscriptions: a subscriber further behind
 * than this reads the file, like a catch-up.
 */
const MAX_RECENT_EVENTS = 8_192;

const NO_LIMIT = -1; // SQLite: a negative LIMIT means unbounded.

/**
 * Embedded event store on one SQLite file.
 *
 * Writes run on a writer thread (sqlite-writer.worker.ts) with its own connection, so the
 * COMMIT's fsync never blocks this thread's event loop; reads stay on this thread's connection
 * (WAL: readers never wait for the writer).
 *
 * Group commit: appends are queued and sent to the writer as one batch (one transaction, one
 * fsync). At most one batch is in flight: appends arriving while the writer commits form the
 * next batch, sent as soon as it is done. Each append (or multi-stream append) runs inside its
 * own SAVEPOINT on the writer: a concurrency failure rolls back only that append, and appends
 * later in the batch see the earlier ones. Every append is also checked against the hash chain
 * (checksHashChain). Promises settle only after the writer reported COMMIT returned, i.e. after
 * the fsync.
 *
 * Checkpoints (copying the WAL back into the database file) run on a third connection, on a
 * checkpointer thread started with the writer (sqlite-checkpointer.worker.ts), so no COMMIT
 * waits for one. When one has copied a large WAL, this thread relays it to the writer, which
 * copies the few pages committed meanwhile between two batches, so the WAL file starts over
 * instead of growing to the writer's own threshold (FromCheckpointer).
 */
export class SqliteEventStore implements EventStore {
  readonly checksHashChain = true;
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
  private inFlight: InFlightBatch | null = null;
  private nextBatchId = 1;
  private writer: Writer | null = null;
  private checkpointer: Worker | null = null;
  /** Resolved when nothing is queued or in flight (close() waits for them). */
  private idleWaiters: Array<() => void> = [];
  private closed = false;
  private batches = 0;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly checkpointing: Pick<CheckpointerInit, 'intervalMs' | 'walRestartPages'>;
  private readonly sql: ReturnType<typeof prepareStatements>;
  private readonly knownStreams = new StreamExistenceFilter(() => this.sql.streamIds.iterate() as IterableIterator<string>);

  constructor(
    readonly filePath: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.pageSize = options.subscriptionPageSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.checkpointing = {
      intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS,
      walRestartPages: options.walRestartPages ?? WAL_RESTART_PAGES,
    };
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

  /** The durability settings in force on this thread's (read) connection. */
  durabilitySettings(): { journalMode: string; synchronous: number } {
    return {
      journalMode: String(this.db.pragma('journal_mode', { simple: true })),
      synchronous: Number(this.db.pragma('synchronous', { simple: true })),
    };
  }

  /** The durability settings in force on the writer thread's connection, the one that commits. */
  writerDurabilitySettings(): Promise<WriterSettings> {
    this.assertOpen();
    return this.ensureWriter().ready;
  }

  async append(streamId: string, events: NewEvent[], expectedRevision: ExpectedRevision = 'any'): Promise<AppendResult> {
    const [result] = await this.appendToStreams([{ streamId, events, expectedRevision }]);
    return result;
  }

  appendToStreams(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (this.closed) return Promise.reject(new EventStoreUnavailableError('SQLite event store is closed'));
    let group: WireAppendGroup;
    try {
      if (new Set(appends.map((a) => a.streamId)).size !== appends.length) throw new Error('appendToStreams: a stream may appear once');
      // Serialized now: the caller may change its objects once append() returned.
      group = appends.map(toWireAppend);
    } catch (error) {
      return Promise.reject(error);
    }
    // Before the commit: "may exist" is the safe side while it is in flight.
    for (const append of appends) this.knownStreams.add(append.streamId);
    return new Promise<AppendResult[]>((resolve, reject) => {
      this.queue.push({ group, resolve, reject });
      this.flushHandle ??= setImmediate(() => this.flush());
    });
  }

  streamMayExist(streamId: string): boolean {
    this.assertOpen();
    return this.knownStreams.mayExist(streamId);
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
    const after = options.afterPosition ?? 0;
    const limit = options.maxCount ?? NO_LIMIT;
    if (!options.eventTypes) return this.readPage(after, limit);
    // Rows of other types are skipped by SQLite, never read into JavaScript nor parsed.
    const rows = this.sql.readAllOfTypes.all(after, JSON.stringify([...options.eventTypes]), limit) as EventRow[];
    return rows.map(toRecordedEvent);
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
    if (this.queue.length || this.inFlight) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.subscriptions.clear();
    this.recentEvents = [];
    await Promise.all([this.stopWriter(), this.stopCheckpointer()]);
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

  /** Sends the queued appends to the writer as one batch, unless a batch is in flight. */
  private flush(): void {
    if (this.flushHandle) clearImmediate(this.flushHandle);
    this.flushHandle = null;
    if (this.inFlight) return; // the queue goes as the next batch once the writer is done
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) {
      this.settleIdle();
      return;
    }
    const batchId = this.nextBatchId++;
    this.inFlight = { batchId, batch };
    let writer: Writer;
    try {
      writer = this.ensureWriter();
      writer.worker.ref(); // an append in flight keeps the process alive
      writer.worker.postMessage({ type: 'batch', batchId, groups: batch.map((p) => p.group) } satisfies ToWriter);
    } catch (error) {
      this.failInFlight(new EventStoreUnavailableError('SQLite append batch failed', { cause: error }));
    }
  }

  private onWriterMessage(writer: Writer, message: FromWriter): void {
    if (message.type === 'ready') return;
    if (message.type === 'fatal') {
      this.writerFailed(writer, fromWireError(message.error));
      return;
    }
    const inFlight = this.inFlight;
    if (!inFlight || inFlight.batchId !== message.batchId) return; // already failed (writer died)
    this.inFlight = null;
    if (message.type === 'failed') {
      // The transaction itself failed (busy, disk full, I/O): nothing was committed.
      const failure = new EventStoreUnavailableError('SQLite append batch failed', { cause: fromWireError(message.error) });
      for (const pending of inFlight.batch) pending.reject(failure);
    } else {
      this.batches += 1;
      this.settleCommitted(inFlight.batch, message.outcomes, message.createdAt);
    }
    this.afterBatch();
  }

  private settleCommitted(batch: PendingAppend[], outcomes: WireOutcome[], createdAt: string): void {
    // Built only when some live subscription may want them (see rememberCommitted).
    const keep = this.subscriptions.size > 0;
    const committed: RecordedEvent[] = [];
    let last = 0;
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (!outcome.ok) return;
      outcome.results.forEach(({ written }, a) => {
        const wire = pending.group[a];
        for (let k = 0; k < written.length; k += 3) {
          const position = written[k + 2];
          last = Math.max(last, position);
          if (!keep) continue;
          const event = wire.events[written[k]];
          // Exactly what a read of the row returns (JSON round trip), and independent of the
          // caller's objects, which it may still change.
          committed.push({
            id: event.id,
            streamId: wire.streamId,
            type: event.type,
            revision: written[k + 1],
            position,
            data: JSON.parse(event.data) as RecordedEvent['data'],
            metadata: JSON.parse(event.metadata) as RecordedEvent['metadata'],
            createdAt,
          });
        }
      });
    });
    if (last) this.lastLocalPosition = last;
    this.rememberCommitted(committed);
    batch.forEach((pending, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) pending.resolve(outcome.results.map(({ nextRevision, position }) => ({ nextRevision, position })));
      else pending.reject(fromWireError(outcome.error));
    });
    this.notifier.emit(APPENDED_SIGNAL);
  }

  /** A batch settled: send what queued up meanwhile, or let the writer idle. */
  private afterBatch(): void {
    if (this.queue.length) {
      // Closing: no more appends can join, send at once. Otherwise wait one turn so the appends
      // the settled promises' continuations make join this batch.
      if (this.closed) this.flush();
      else this.flushHandle ??= setImmediate(() => this.flush());
      return;
    }
    if (this.writer && !this.writer.dead) this.writer.worker.unref();
    this.settleIdle();
  }

  private settleIdle(): void {
    if (this.queue.length || this.inFlight) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private failInFlight(error: Error): void {
    const inFlight = this.inFlight;
    this.inFlight = null;
    if (inFlight) for (const pending of inFlight.batch) pending.reject(error);
    this.afterBatch();
  }

  /**
   * The writer thread died (crash, could not open the file). The batch in flight may or may
   * not have committed: its appends fail as unavailable (a retry with the same event ids is
   * idempotent). The next batch starts a new writer.
   */
  private writerFailed(writer: Writer, cause: unknown): void {
    if (writer.dead) return;
    writer.dead = true;
    if (this.writer === writer) this.writer = null;
    void writer.worker.terminate().catch(() => undefined);
    this.failInFlight(new EventStoreUnavailableError('SQLite writer thread failed', { cause }));
  }

  private ensureWriter(): Writer {
    if (this.writer && !this.writer.dead) return this.writer;
    this.ensureCheckpointer();
    const worker = spawnThread('sqlite-writer.worker', { filePath: this.filePath } satisfies WriterInit);
    let readyResolve!: (settings: WriterSettings) => void;
    let readyReject!: (error: unknown) => void;
    const ready = new Promise<WriterSettings>((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    ready.catch(() => undefined); // only writerDurabilitySettings() awaits it
    const writer: Writer = { worker, ready, dead: false };
    worker.on('message', (message: FromWriter) => {
      if (message.type === 'ready')
        readyResolve({ journalMode: message.journalMode, synchronous: message.synchronous, walAutocheckpoint: message.walAutocheckpoint });
      else if (message.type === 'fatal') readyReject(fromWireError(message.error));
      this.onWriterMessage(writer, message);
    });
    worker.on('error', (error) => {
      readyReject(error);
      this.writerFailed(writer, error);
    });
    worker.on('exit', (code) => {
      const error = new Error(`SQLite writer thread exited (code ${code})`);
      readyReject(error);
      this.writerFailed(writer, error);
    });
    worker.unref();
    this.writer = writer;
    return writer;
  }

  /**
   * Started with the writer (no appends, nothing to checkpoint). If it fails, the writer's own
   * automatic checkpoint still bounds the WAL; the next writer start tries again.
   */
  private ensureCheckpointer(): void {
    if (this.checkpointer) return;
    const worker = spawnThread('sqlite-checkpointer.worker', { filePath: this.filePath, ...this.checkpointing } satisfies CheckpointerInit);
    const forget = () => {
      if (this.checkpointer === worker) this.checkpointer = null;
    };
    worker.on('message', (message: FromCheckpointer) => {
      const writer = this.writer;
      if (message.type === 'backfilled' && writer && !writer.dead) writer.worker.postMessage({ type: 'checkpoint' } satisfies ToWriter);
    });
    worker.on('error', forget);
    worker.on('exit', forget);
    worker.unref(); // never what keeps the process alive
    this.checkpointer = worker;
  }

  private async stopCheckpointer(): Promise<void> {
    const worker = this.checkpointer;
    this.checkpointer = null;
    if (worker) await closeThread(worker);
  }

  private async stopWriter(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    if (!writer || writer.dead) return;
    writer.dead = true; // its exit is expected now
    await closeThread(writer.worker);
  }

  private assertOpen(): void {
    if (this.closed) throw new EventStoreUnavailableError('SQLite event store is closed');
  }
}

/** Asks a writer or checkpointer thread to close its connection and exit; terminates it after 5 s. */
async function closeThread(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.postMessage({ type: 'close' } satisfies ToWriter);
  const timer = setTimeout(() => void worker.terminate().catch(() => undefined), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts the writer or checkpointer thread (`name`: its file next to this one, without
 * extension). Compiled (dist), the worker is the .js next to this file. Run from the TypeScript
 * sources (jest, ts-node), it is the .ts next to this file, loaded through a minimal require
 * hook that transpiles .ts with @swc/core (a dev dependency, as the tests' transform): a worker
 * thread does not inherit the test runner's transform.
 */
function spawnThread(name: 'sqlite-writer.worker' | 'sqlite-checkpointer.worker', init: WriterInit | CheckpointerInit): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, `${name}.js`), { workerData: init });
  const bootstrap = `
    const fs = require('node:fs');
    const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(path.join(__dirname, `${name}.ts`))});
  `;
  return new Worker(bootstrap, { workerData: init, eval: true });
}

function toWireAppend({ streamId, events, expectedRevision }: StreamAppend): WireAppend {
  const wire: WireAppend = {
    streamId,
    expected: expectedRevision,
    events: events.map((event) => ({
      id: event.id,
      type: event.type,
      data: JSON.stringify(event.data),
      metadata: JSON.stringify(event.metadata),
    })),
  };
  const prevHash = events[0]?.metadata.prev_hash;
  if (prevHash !== undefined) wire.prevHash = prevHash;
  return wire;
}

function prepareStatements(db: Database.Database) {
  // Event reads return rows in raw mode (arrays), see EventRow.
  return {
    readStreamForwards: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?`).raw(true),
    readStreamBackwards: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?`).raw(true),
    readAll: db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position ASC LIMIT ?`).raw(true),
    readAllOfTypes: db
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? AND type IN (SELECT value FROM json_each(?)) ORDER BY position ASC LIMIT ?`)
      .raw(true),
    head: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
    // Each stream's event at revision 0: a scan of the whole (stream_id, revision) index (one
    // entry per event, not per stream), once per process, on the first streamMayExist.
    streamIds: db.prepare('SELECT stream_id FROM events WHERE revision = 0').pluck(),
    ping: db.prepare('SELECT 1 AS ok'),
  };
}
