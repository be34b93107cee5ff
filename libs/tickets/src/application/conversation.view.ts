import type { MessageDocument } from '../projections/ticket.read-model';

/** A conversation entry (API.md section 5): one message of a ticket, notes included. */
export const toConversationView = (
  m: Pick<MessageDocument, 'id' | 'ticket_id' | 'type' | 'internal' | 'author_type' | 'author_id' | 'body' | 'external_id' | 'created_at'>,
) => ({
  id: m.id,
  ticket_id: m.ticket_id,
  type: m.type,
  internal: m.internal,
  author_type: m.author_type,
  author_id: m.author_id,
  content_text: m.body,
  external_id: m.external_id,
  created_at: m.created_at,
});

export type ConversationView = ReturnType<typeof toConversationView>;
