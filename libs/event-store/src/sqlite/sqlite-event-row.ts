import { UnreadableEventError } from '../event-store.errors';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';

/** The columns every event read selects, in the order of `EventRow`. */
export const EVENT_COLUMNS = 'position, id, stream_id, revision, type, data, metadata, created_at';

/**
 * A row of the `events` table as a better-sqlite3 statement in raw mode returns it: an array in
 * EVENT_COLUMNS order. Raw mode, because building a named-property object per row cost more
 * than the read itself (catch-up reads the whole log).
 */
export type EventRow = [position: number, id: string, streamId: string, revision: number, type: string, data: string, metadata: string, createdAt: string];

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row[1],
    streamId: row[2],
    type: row[4],
    revision: row[3],
    position: row[0],
    data: jsonObjectOf(row, 5, 'data') as JsonObject,
    metadata: jsonObjectOf(row, 6, 'metadata') as EventMetadata,
    createdAt: row[7],
  };
}

/** A row's JSON column as an object; a row edited into something else names itself (UnreadableEventError). */
function jsonObjectOf(row: EventRow, column: 5 | 6, name: string): object {
  let value: unknown;
  try {
    value = JSON.parse(row[column]);
  } catch (error) {
    throw new UnreadableEventError(row[2], row[3], row[0], `its ${name} is not JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UnreadableEventError(row[2], row[3], row[0], `its ${name} is not a JSON object`);
  return value;
}
