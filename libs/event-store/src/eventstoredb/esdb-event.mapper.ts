import { jsonEvent, type EventData, type RecordedEvent as EsdbRecordedEvent } from '@kurrent/kurrentdb-client';
import type { NewEvent } from '../event-store.port';
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
    metadata: decodeMetadata(parseJson(event.metadata)) as EventMetadata,
    createdAt: event.created.toISOString(),
  };
}

/** We only write JSON; the client already parsed it, but be tolerant of raw bytes. */
function parseJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return JSON.parse(Buffer.from(value).toString('utf8'));
  return value;
}

/**
 * The multi-stream append takes metadata as a flat map of strings (KurrentDB 25.1 records it as
 * properties), so our metadata object travels there as its JSON text under one key, decoded on
 * read. Single-stream appends store the metadata object as it is.
 */
const ENCODED_METADATA = 'ledgerdesk-metadata';

export function toMultiAppendEvent(event: NewEvent): EventData {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: { [ENCODED_METADATA]: JSON.stringify(event.metadata) } });
}

function decodeMetadata(metadata: unknown): unknown {
  const encoded = (metadata as Record<string, unknown> | null)?.[ENCODED_METADATA];
  return typeof encoded === 'string' ? JSON.parse(encoded) : metadata;
}
