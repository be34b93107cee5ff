import type { RecordedEvent } from '@ledgerdesk/event-store';
import { SECRET_DATA_FIELDS } from '@ledgerdesk/shared';

/** Hashes of credentials (API keys, ticket tokens): bookkeeping, never shown. */
const HIDDEN_DATA_FIELDS = new Set(['key_hash', 'ticket_token_hash']);
/**
 * Secrets (signing secrets, Slack tokens; stored encrypted): history shows that they were set,
 * never their value, not even encrypted. The API shows a secret once, at creation.
 */
export const REDACTED = '[redacted]';

function redact(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(data)
      .filter(([key]) => !HIDDEN_DATA_FIELDS.has(key))
      .map(([key, value]) => [key, SECRET_DATA_FIELDS.has(key) && value !== null ? REDACTED : value]),
  );
}

/** One entry of an event history (GET /tickets/{id}/events, the change feed). */
export function toEventView(event: RecordedEvent) {
  const { actor, request_id, correlation_id, causation_id, occurred_at } = event.metadata;
  return {
    id: event.id,
    type: event.type,
    stream: event.streamId,
    revision: event.revision,
    position: event.position,
    data: redact(event.data),
    metadata: { actor, request_id, correlation_id, causation_id, occurred_at },
    created_at: event.createdAt,
  };
}

export type EventView = ReturnType<typeof toEventView>;
