import type { RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';
import { requirePosition } from './esdb-position';

/** System events ($metadata, $stats, link events `$>`...) are never part of our log. */
export function isSystemEvent(event: { type: string }): boolean {
  return event.type.startsWith('$');
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    revision: Number(event.revision),
    position: requirePosition(event.position, event.id),
    data: parseJson(event.data) as JsonObject,
    metadata: parseJson(event.metadata) as EventMetadata,
    createdAt: event.created.toISOString(),
  };
}

/** We only write JSON; the client already parsed it, but be tolerant of raw bytes. */
function parseJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8'));
  return value;
}
