import type Database from 'better-sqlite3';

/**
 * Durability first: WAL lets subscribers read while a batch commits, and
 * `synchronous = FULL` makes SQLite fsync the WAL on every COMMIT, so an append's
 * promise only resolves once its events survive a power cut (NORMAL would not).
 */
export function applyDurabilityPragmas(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Another process (CLI, projector) may hold the write lock briefly; wait instead of failing.
  db.pragma('busy_timeout = 5000');
}

/**
 * Idempotent: every process opening the file runs it.
 *
 * A stream's revision is read from the (stream_id, revision) index of `events`; there is no
 * table of streams to keep in step (an earlier schema had one: every append to a new stream
 * wrote one more random B-tree page to the WAL, and files that still have it drop it here).
 */
export function createSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      position   INTEGER PRIMARY KEY,
      id         TEXT    NOT NULL UNIQUE,
      stream_id  TEXT    NOT NULL,
      revision   INTEGER NOT NULL,
      type       TEXT    NOT NULL,
      data       TEXT    NOT NULL,
      metadata   TEXT    NOT NULL,
      created_at TEXT    NOT NULL,
      UNIQUE (stream_id, revision)
    );
    DROP TABLE IF EXISTS streams;
  `);
}
