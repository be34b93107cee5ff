import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { TicketEvent } from '../domain/ticket.events';
import {
  MESSAGES_COLLECTION,
  TICKETS_COLLECTION,
  ticketDocumentFromCreated,
  type MessageDocument,
  type TicketDocument,
} from './ticket.read-model';

type Recorded<T extends TicketEvent['type']> = RecordedEvent<T, Extract<TicketEvent, { type: T }>['data'] & Record<string, unknown>>;

/**
 * Tickets and their messages. Every list query filters on workspace_id first, then sorts by
 * one of the order_by keys with _id as tie-breaker: those are the indexes.
 */
export const ticketsProjection: Projection = {
  name: 'tickets',
  collections: {
    [TICKETS_COLLECTION]: [
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, priority_rank: -1, _id: -1 } },
      { keys: { workspace_id: 1, ticket_number: -1 } },
      { keys: { workspace_id: 1, status: 1, created_at: -1 } },
      { keys: { workspace_id: 1, customer_id: 1 } },
      { keys: { workspace_id: 1, assignee_id: 1 } },
      { keys: { workspace_id: 1, tags: 1 } },
    ],
    [MESSAGES_COLLECTION]: [
      { keys: { ticket_id: 1, revision: 1 } },
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
    ],
  },
  eventTypes: new Set(['TicketCreated', 'MessageAppended']),

  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const tickets = target.collection<TicketDocument>(TICKETS_COLLECTION);
    const messages = target.collection<MessageDocument>(MESSAGES_COLLECTION);
    const occurredAt = event.metadata.occurred_at;

    switch (event.type as TicketEvent['type']) {
      case 'TicketCreated': {
        const { data } = event as Recorded<'TicketCreated'>;
        const at = { position: event.position, revision: event.revision, occurredAt };
        await tickets.put(ticketDocumentFromCreated(data, at));
        await messages.put(messageDocument(data.workspace_id, data.ticket_id, data.message, event, 'reply'));
        return;
      }
      case 'MessageAppended': {
        const { data } = event as Recorded<'MessageAppended'>;
        const ticket = await tickets.findOne({ _id: data.ticket_id });
        if (!ticket) throw new Error(`MessageAppended for unknown ticket ${data.ticket_id}`);
        await messages.put(
          messageDocument(ticket.workspace_id, data.ticket_id, data, event, data.internal ? 'note' : 'reply'),
        );
        const set: Record<string, unknown> = { version: event.revision, updated_at: occurredAt };
        if (!data.internal) set.last_message_at = occurredAt;
        await tickets.updateMany(
          { _id: data.ticket_id },
          { $set: set, $inc: { message_count: data.internal ? 0 : 1 } },
          event.position,
        );
        return;
      }
    }
  },
};

function messageDocument(
  workspaceId: string,
  ticketId: string,
  message: { message_id: string; author_type: MessageDocument['author_type']; author_id: string | null; body: string; internal: boolean; external_id: string | null },
  event: RecordedEvent,
  type: MessageDocument['type'],
): MessageDocument {
  return {
    _id: message.message_id,
    _position: event.position,
    workspace_id: workspaceId,
    id: message.message_id,
    ticket_id: ticketId,
    type: message.author_type === 'system' ? 'system' : type,
    internal: message.internal,
    author_type: message.author_type,
    author_id: message.author_id,
    body: message.body,
    external_id: message.external_id,
    revision: event.revision,
    created_at: event.metadata.occurred_at,
  };
}
