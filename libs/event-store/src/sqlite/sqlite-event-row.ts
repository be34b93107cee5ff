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
    data: JSON.parse(row[5]) as JsonObject,
    metadata: JSON.parse(row[6]) as EventMetadata,
    createdAt: row[7],
  };
}
