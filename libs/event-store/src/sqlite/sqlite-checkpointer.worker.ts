import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { applyDurabilityPragmas } from './sqlite-schema';
import type { CheckpointerInit, FromCheckpointer } from './sqlite-writer.protocol';

/**
 * The checkpointer thread of SqliteEventStore: copies the WAL back into the database file
 * (PASSIVE checkpoints, which never wait for readers or the writer) on its own connection,
 * every `intervalMs`. Left to SQLite's automatic checkpoint, that copy (and the database
 * file's fsync) would run inside whichever COMMIT crossed the threshold, holding up that batch
 * and every append queued behind it by tens of milliseconds. The writer keeps a much higher
 * automatic threshold only as a safety net (WRITER_AUTOCHECKPOINT_PAGES).
 *
 * Only relative imports and better-sqlite3, like the writer thread (see SqliteEventStore).
 */

const port = parentPort;
if (!port) throw new Error('sqlite-checkpointer.worker must run in a worker thread');

const { filePath, intervalMs, walRestartPages } = workerData as CheckpointerInit;
const db = new Database(filePath);
applyDurabilityPragmas(db);

const timer = setInterval(() => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    if (result.checkpointed === result.log && result.log >= walRestartPages) {
      port.postMessage({ type: 'backfilled', walPages: result.log } satisfies FromCheckpointer);
    }
  } catch {
    // Busy or I/O trouble: the next round retries, and the writer's own threshold still holds.
  }
}, intervalMs);

port.on('message', (message: { type: 'close' }) => {
  if (message.type !== 'close') return;
  clearInterval(timer);
  db.close();
  port.close(); // nothing left to keep the thread alive: it exits
});
