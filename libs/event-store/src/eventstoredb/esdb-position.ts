import type { Position } from '@kurrent/kurrentdb-client';

/**
 * How an EventStoreDB / KurrentDB `$all` position becomes our single integer.
 *
 * A `$all` position is a pair {commit, prepare} of byte offsets in the transaction log.
 * Research (server source `AllReader.cs`, KurrentDB issues #3989 / PR #2522, client
 * issue EventStore-Client-Go#88):
 * - Appends through the gRPC API (the only way this client writes) are implicit
 *   transactions: every event is its own prepare record flagged `IsCommitted`, and the
 *   server reports each event's $all position as {commit: its log position, prepare:
 *   its log position}. So on 23.x/24.x two events of one `appendToStream` call do NOT
 *   share a commit position; commit === prepare, distinct per event.
 * - Events written with legacy explicit TCP transactions are the exception: they all
 *   share the commit record's commit position and differ only by prepare position.
 *
 * We therefore use the PREPARE position as our position: it is unique per event in both
 * cases and, within the $all order (commit, then prepare), strictly increasing for
 * every event this system writes. To resume we pass {commit: p, prepare: p}, which is
 * exactly the position of that event for implicit transactions; readers additionally
 * drop anything at or below the checkpoint so a resume can never duplicate.
 *
 * Byte offsets fit a JS number up to 2^53 (8 PiB of log), so Number() is lossless.
 */
export function toPortPosition(position: Position): number {
  return Number(position.prepare);
}

export function toEsdbPosition(position: number): Position {
  const offset = BigInt(position);
  return { commit: offset, prepare: offset };
}

/**
 * Servers older than 22.6 do not report $all positions on stream reads (or report
 * 2^64-1): we cannot invent one, so fail loudly instead of returning a wrong position.
 */
export function requirePosition(position: Position | undefined, eventId: string): number {
  if (!position || position.prepare > BigInt(Number.MAX_SAFE_INTEGER) || position.prepare < 0n) {
    throw new Error(`EventStoreDB did not report a $all position for event ${eventId}; ` + 'Ledgerdesk needs EventStoreDB/KurrentDB >= 22.6');
  }
  return toPortPosition(position);
}
