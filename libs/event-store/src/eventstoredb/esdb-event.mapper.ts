import { jsonEvent, type EventData, type RecordedEvent as EsdbRecordedEvent } from '@kurrent/kurrentdb-client';
import type { NewEvent } from '../event-store.port';
import type { EventMetadata, JsonObject, RecordedEvent } from '../event-store.port';
import { UnreadableEventError } from '../event-store.errors';
import { requirePosition } from './esdb-position';

/** System events ($metadata, $stats, link events `$>`...) are never part of our log. */
export function isSystemEvent(event: { type: string }): boolean {
  return event.type.startsWith('$');
}

export function toRecordedEvent(event: EsdbRecordedEvent): RecordedEvent {
  const revision = Number(event.revision);
  const position = requirePosition(event.position, event.id);
  /** A JSON object, or an UnreadableEventError naming the event (as the SQLite store's rows do). */
  const objectOf = (name: string, value: unknown, decode: (parsed: unknown) => unknown = (parsed) => parsed): JsonObject => {
    let parsed: unknown;
    try {
      parsed = decode(parseJson(value));
    } catch (error) {
      throw new UnreadableEventError(event.streamId, revision, position, `its ${name} is not JSON (${(error as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new UnreadableEventError(event.streamId, revision, position, `its ${name} is not a JSON object`);
    }
    return parsed as JsonObject;
  };
  return {
    id: event.id,
    streamId: event.streamId,
    type: event.type,
    revision,
    position,
    data: objectOf('data', event.data),
    metadata: objectOf('metadata', event.metadata, decodeMetadata) as unknown as EventMetadata,
    createdAt: event.created.toISOString(),
  };
}

/** We only write JSON; the client parses it, but an event written by another tool may be raw bytes. */
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
