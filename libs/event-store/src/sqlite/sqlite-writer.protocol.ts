import type { ExpectedRevision } from '../event-store.port';
import { WrongExpectedRevisionError } from '../event-store.errors';

/**
 * Messages between SqliteEventStore (main thread) and its writer thread
 * (sqlite-writer.worker.ts). Everything here survives structured clone: plain objects,
 * strings and numbers only.
 */

/** workerData of the writer thread. */
export interface WriterInit {
  filePath: string;
}

/** workerData of the checkpointer thread (sqlite-checkpointer.worker.ts). */
export interface CheckpointerInit {
  filePath: string;
  intervalMs: number;
  /** See WAL_RESTART_PAGES. */
  walRestartPages: number;
}

/** How often the checkpointer thread copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 500;

/**
 * WAL size, in pages, from which a checkpoint that copied the whole WAL asks the writer to copy
 * the pages committed meanwhile (see `backfilled`): half the writer's own threshold. Each such
 * finish stalls appends (two syncs), and a WAL started over soon is overwritten from its start
 * while those pages may still be being written back: a low threshold (every round under load)
 * makes slow commits frequent, so only a large WAL is worth it.
 */
export const WAL_RESTART_PAGES = 8_000;

/**
 * From the checkpointer thread: its checkpoint copied all `walPages` pages the WAL had when it
 * began. SQLite starts the WAL file over only at a write transaction that began with nothing
 * left to copy back, and only if no other connection is reading from the WAL at that moment
 * (otherwise it just appends). Under steady appends the first never happens by itself
 * (commits land while a checkpoint runs): the writer, told between two of its transactions,
 * copies the rest.
 */
export type FromCheckpointer = { type: 'backfilled'; walPages: number };

/**
 * The writer connection's automatic checkpoint threshold, in WAL pages (SQLite's default is
 * 1,000): a safety net only, for when the checkpointer thread is not keeping up.
 */
export const WRITER_AUTOCHECKPOINT_PAGES = 16_000;

/** One event of an append, serialized on the caller's thread at append time. */
export interface WireEvent {
  id: string;
  type: string;
  /** JSON text of `data`. */
  data: string;
  /** JSON text of `metadata`. */
  metadata: string;
}

export interface WireAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: WireEvent[];
  /**
   * The first event's `metadata.prev_hash`, read on the caller's thread: when set (null for a
   * stream's first event) the append also requires the stream's last event to have this hash.
   */
  prevHash?: string | null;
}

/** Appends to one or more streams that commit together or not at all (one SAVEPOINT). */
export type WireAppendGroup = WireAppend[];

export type ToWriter = { type: 'batch'; batchId: number; groups: WireAppendGroup[] } | { type: 'checkpoint' } | { type: 'close' };

/** An error that crossed the thread boundary. */
export type WireError =
  | { kind: 'wrong-revision'; streamId: string; expected: string | number; actual: number | 'no_stream'; hashMismatch: boolean }
  | { kind: 'error'; name: string; message: string; code?: string; stack?: string };

export interface WireStreamResult {
  nextRevision: number;
  position: number;
  /** For each event written: [index in the append's events, revision, position]. */
  written: number[];
}

/** The outcome of one WireAppendGroup: a result per append, or the failure that undid them all. */
export type WireOutcome = { ok: true; results: WireStreamResult[] } | { ok: false; error: WireError };

export type FromWriter =
  | { type: 'ready'; journalMode: string; synchronous: number; walAutocheckpoint: number }
  | { type: 'committed'; batchId: number; createdAt: string; outcomes: WireOutcome[] }
  | { type: 'failed'; batchId: number; error: WireError }
  | { type: 'fatal'; error: WireError };

export function toWireError(error: unknown): WireError {
  if (error instanceof WrongExpectedRevisionError) {
    return { kind: 'wrong-revision', streamId: error.streamId, expected: error.expected, actual: error.actual, hashMismatch: error.hashMismatch };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { kind: 'error', name: error.name, message: error.message, code: typeof code === 'string' ? code : undefined, stack: error.stack };
  }
  return { kind: 'error', name: 'Error', message: String(error) };
}

/** The error on this side of the boundary: WrongExpectedRevisionError stays one; others keep name, message, code. */
export function fromWireError(wire: WireError): Error {
  if (wire.kind === 'wrong-revision') return new WrongExpectedRevisionError(wire.streamId, wire.expected, wire.actual, wire.hashMismatch);
  const error = new Error(wire.message) as Error & { code?: string };
  error.name = wire.name;
  if (wire.code !== undefined) error.code = wire.code;
  if (wire.stack) error.stack = wire.stack;
  return error;
}
