import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { WrongExpectedRevisionError } from '../event-store.errors';
import { assertExpectedRevision } from './sqlite-expected-revision';
import { applyDurabilityPragmas } from './sqlite-schema';
import {
  toWireError,
  WRITER_AUTOCHECKPOINT_PAGES,
  type FromWriter,
  type ToWriter,
  type WireAppend,
  type WireAppendGroup,
  type WireOutcome,
  type WireStreamResult,
  type WriterInit,
} from './sqlite-writer.protocol';

/**
 * The writer thread of SqliteEventStore: owns the only write connection of the store and runs
 * each group-commit batch as one transaction (BEGIN IMMEDIATE ... COMMIT, fsync included) off
 * the main thread's event loop. One batch at a time, in the order received; a batch's result is
 * posted only after COMMIT returned, i.e. after the fsync.
 *
 * Each append group (one stream, or several that must commit together) runs inside its own
 * SAVEPOINT: a failed append (wrong expected revision, broken hash chain, ...) rolls back only
 * its group, and later groups of the batch see the earlier ones (same connection, same
 * transaction).
 *
 * Only relative imports and better-sqlite3: this file runs compiled from dist, or from its .ts
 * source under a TypeScript register (tests), see SqliteEventStore.
 */

const port = parentPort;
if (!port) throw new Error('sqlite-writer.worker must run in a worker thread');

const { filePath } = workerData as WriterInit;

function send(message: FromWriter): void {
  port!.postMessage(message);
}

let db: Database.Database;
try {
  db = new Database(filePath);
  applyDurabilityPragmas(db);
  // The checkpointer thread copies the WAL back; a COMMIT does only past this safety net.
  db.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
} catch (error) {
  send({ type: 'fatal', error: toWireError(error) });
  throw error;
}

const sql = {
  begin: db.prepare('BEGIN IMMEDIATE'),
  commit: db.prepare('COMMIT'),
  savepoint: db.prepare('SAVEPOINT append_one'),
  release: db.prepare('RELEASE append_one'),
  rollbackToSavepoint: db.prepare('ROLLBACK TO append_one'),
  // The stream's last event: its revision, and its hash for the chain check (one row, by index).
  lastEvent: db.prepare("SELECT revision, json_extract(metadata, '$.hash') AS hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1"),
  eventById: db.prepare('SELECT revision, position FROM events WHERE id = ?'),
  insertEvent: db.prepare(
    `INSERT INTO events (id, stream_id, revision, type, data, metadata, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  head: db.prepare('SELECT COALESCE(MAX(position), 0) AS head FROM events'),
};

send({
  type: 'ready',
  journalMode: String(db.pragma('journal_mode', { simple: true })),
  synchronous: Number(db.pragma('synchronous', { simple: true })),
  walAutocheckpoint: Number(db.pragma('wal_autocheckpoint', { simple: true })),
});

port.on('message', (message: ToWriter) => {
  if (message.type === 'close') {
    db.close();
    port.close(); // nothing left to keep the thread alive: it exits
    return;
  }
  if (message.type === 'checkpoint') {
    finishCheckpoint();
    return;
  }
  const { batchId, groups } = message;
  try {
    const createdAt = new Date().toISOString();
    const outcomes = writeBatch(groups, createdAt);
    send({ type: 'committed', batchId, createdAt, outcomes });
  } catch (error) {
    // The transaction itself failed (busy, disk full, I/O): nothing was committed.
    try {
      if (db.inTransaction) db.exec('ROLLBACK');
    } catch {
      // the connection is unusable; the failure below says why
    }
    send({ type: 'failed', batchId, error: toWireError(error) });
  }
});

/**
 * Between two transactions: copies back the pages committed while the checkpointer thread
 * copied the rest (see FromCheckpointer), so this connection's next COMMIT starts the WAL file
 * from its beginning. Appends queue behind it (it syncs the WAL and the database file), so it
 * runs once per checkpoint round at most. PASSIVE never waits for a lock: if the checkpointer
 * is at it again, the next round asks again.
 */
function finishCheckpoint(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or I/O trouble: appends go on; the WAL just grows until a later round.
  }
}

/** One transaction, one SAVEPOINT per append group; returns after COMMIT (fsync). */
function writeBatch(groups: WireAppendGroup[], createdAt: string): WireOutcome[] {
  const outcomes: WireOutcome[] = [];
  // IMMEDIATE takes the write lock up front, so revision checks cannot race another process.
  sql.begin.run();
  for (const group of groups) {
    sql.savepoint.run();
    try {
      outcomes.push({ ok: true, results: group.map((append) => applyAppend(append, createdAt)) });
      sql.release.run();
    } catch (error) {
      sql.rollbackToSavepoint.run();
      sql.release.run();
      outcomes.push({ ok: false, error: toWireError(error) });
    }
  }
  sql.commit.run();
  return outcomes;
}

function applyAppend({ streamId, events, expected, prevHash }: WireAppend, createdAt: string): WireStreamResult {
  const lastEvent = sql.lastEvent.get(streamId) as { revision: number; hash: string | null } | undefined;
  const current = lastEvent?.revision;
  const existing = events.map((event) => sql.eventById.get(event.id) as { revision: number; position: number } | undefined);
  const last = existing[existing.length - 1];
  // A retry of an append that already committed: report where its events are, write
  // nothing and skip the revision check (the stream may have moved on since).
  if (events.length > 0 && last && existing.every(Boolean)) {
    return { nextRevision: last.revision, position: last.position, written: [] };
  }
  assertExpectedRevision(streamId, expected, current);
  // The chain: the append follows exactly the event it was decided after, not another one
  // that took the same revision meanwhile.
  if (prevHash !== undefined && prevHash !== (lastEvent?.hash ?? null)) {
    throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream', true);
  }

  let revision = current ?? -1;
  let position = 0;
  const ids = new Set<string>();
  const written: number[] = [];
  events.forEach((event, i) => {
    if (existing[i] || ids.has(event.id)) return; // ids already in the log are written once
    ids.add(event.id);
    revision += 1;
    const info = sql.insertEvent.run(event.id, streamId, revision, event.type, event.data, event.metadata, createdAt);
    position = Number(info.lastInsertRowid);
    written.push(i, revision, position);
  });
  if (ids.size === 0) {
    // Empty append: nothing to write; report the current state.
    return { nextRevision: revision, position: (sql.head.get() as { head: number }).head, written };
  }
  return { nextRevision: revision, position, written };
}
