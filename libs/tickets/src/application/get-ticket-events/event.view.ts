import type { RecordedEvent } from '@ledgerdesk/event-store';

/** Data fields that are secrets' hashes or internal bookkeeping, never shown. */
const HIDDEN_DATA_FIELDS = new Set(['ticket_token_hash', 'key_hash']);

/** One entry of an event history (GET /tickets/{id}/events, the change feed). */
export function toEventView(event: RecordedEvent) {
  const { actor, request_id, correlation_id, causation_id, occurred_at } = event.metadata;
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: event.revision,
    position: event.position,
    data: Object.fromEntries(Object.entries(event.data).filter(([k]) => !HIDDEN_DATA_FIELDS.has(k))),
    metadata: { actor, request_id, correlation_id, causation_id, occurred_at },
    created_at: event.createdAt,
  };
}

export type EventView = ReturnType<typeof toEventView>;
