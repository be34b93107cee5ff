import type { CustomerEvent } from '@ledgerdesk/customers';
import { defineProjection, type DeclaredUpdate, type DocumentProjection, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { SharedValues, searchTokensIndex } from '@ledgerdesk/read-store';
import type { TagEvent } from '@ledgerdesk/tags';
import { TICKET_EVENT_TYPES, type MessageData, type TicketEvent } from '../domain/ticket.events';
import {
  evolveTicketDocument,
  MESSAGES_COLLECTION,
  TICKET_SEARCH_FIELDS,
  TICKETS_COLLECTION,
  type MessageDocument,
  type RecordedTicketEvent,
  type TicketDocument,
} from './ticket.read-model';

/** Workspace ids and customer snapshots, held once however many tickets repeat them. */
const shared = new SharedValues();

/** Ticket events, plus the customer and tag changes denormalised onto tickets. */
type TicketsProjectionEvent = RecordedOf<
  TicketEvent | Extract<CustomerEvent, { type: 'CustomerUpdated' | 'CustomerDeleted' }> | Extract<TagEvent, { type: 'TagUpdated' | 'TagDeleted' }>
>;

const isTicketEvent = (event: TicketsProjectionEvent): event is RecordedTicketEvent => TICKET_EVENT_TYPES.has(event.type);
const ticketIdOf = (event: TicketsProjectionEvent): string | null => (isTicketEvent(event) ? event.data.ticket_id : null);

/**
 * Every list query filters on workspace_id first, then sorts by one of the order_by keys with
 * _id as tie-breaker: those are the indexes. `search` narrows by trigram tokens the read store
 * derives from the texts itself (searchTokensIndex), so the replay computes none.
 */
const tickets: DocumentProjection<TicketsProjectionEvent, TicketDocument> = {
  indexes: [
    { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
    { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
    { keys: { workspace_id: 1, priority_rank: -1, _id: -1 } },
    { keys: { workspace_id: 1, ticket_number: -1 } },
    { keys: { workspace_id: 1, status: 1, created_at: -1 } },
    { keys: { workspace_id: 1, customer_id: 1 } },
    { keys: { workspace_id: 1, assignee_id: 1 } },
    { keys: { workspace_id: 1, tags: 1 } },
    { keys: { customer_id: 1 } },
    { keys: { source_id: 1, created_at: -1, _id: -1 } },
    searchTokensIndex(TICKET_SEARCH_FIELDS),
  ],
  documentId: ticketIdOf,
  creates: (event) => event.type === 'TicketCreated',
  // Called for the events documentId names a ticket for: ticket events only.
  evolve: (ticket, event) => evolveTicketDocument(ticket, event as RecordedTicketEvent, shared),
};

const messages: DocumentProjection<TicketsProjectionEvent, MessageDocument, TicketDocument> = {
  indexes: [
    { keys: { ticket_id: 1, revision: 1 } },
    { keys: { ticket_id: 1, seq: 1, _id: 1 } },
    { keys: { workspace_id: 1, seq: 1, _id: 1 } },
    { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
  ],
  documentId(event) {
    if (event.type === 'MessageAppended' || event.type === 'MessageEdited') return event.data.message_id;
    if (event.type === 'TicketCreated') return event.data.message?.message_id ?? null;
    return null;
  },
  creates: (event) => event.type === 'MessageAppended' || event.type === 'TicketCreated',
  reads: { collection: TICKETS_COLLECTION, documentId: ticketIdOf },
  evolve(message, event, ticket) {
    if (!ticket) return message;
    if (event.type === 'MessageAppended') {
      const added = event.data.opens_ticket ? sharingDescription(ticket, event.data) : event.data;
      return messageDocument(ticket, added, event, added.internal ? 'note' : 'reply');
    }
    if (event.type === 'MessageEdited') {
      return message && { ...message, _position: event.position, body: event.data.body, edited_at: event.metadata.occurred_at };
    }
    // Events written before the first message had its own event carry it here.
    if (event.type === 'TicketCreated' && event.data.message) return messageDocument(ticket, sharingDescription(ticket, event.data.message), event, 'reply');
    return message;
  },
};

/** The first message usually repeats the description: keep one copy of the text in memory. */
const sharingDescription = <M extends MessageData>(ticket: TicketDocument, first: M): M =>
  first.body === ticket.description ? { ...first, body: ticket.description } : first;

const NOTHING: readonly DeclaredUpdate[] = Object.freeze([]);

/** Tickets and their messages. */
export const ticketsProjection = defineProjection<TicketsProjectionEvent>({
  name: 'tickets',
  eventTypes: [...(TICKET_EVENT_TYPES as ReadonlySet<TicketEvent['type']>), 'CustomerUpdated', 'CustomerDeleted', 'TagUpdated', 'TagDeleted'],
  collections: { [TICKETS_COLLECTION]: tickets, [MESSAGES_COLLECTION]: messages },

  updates(event) {
    const workspaceId = event.metadata.workspace_id;
    switch (event.type) {
      case 'TicketDeleted':
        // A deleted ticket's conversation entries leave the lists with it.
        return [{ collection: MESSAGES_COLLECTION, filter: { ticket_id: event.data.ticket_id }, update: { $set: { ticket_deleted: true } } }];
      case 'CustomerUpdated': {
        const { customer_id, changes } = event.data;
        const set: Record<string, unknown> = {};
        for (const field of ['name', 'email', 'company'] as const) if (field in changes) set[`customer.${field}`] = changes[field];
        if (Object.keys(set).length === 0) return NOTHING;
        return [{ collection: TICKETS_COLLECTION, filter: { workspace_id: workspaceId, customer_id }, update: { $set: set } }];
      }
      case 'CustomerDeleted': {
        // Erasure: tickets stay, their customer becomes a placeholder.
        const { customer_id } = event.data;
        const customer = { id: customer_id, name: null, email: null, company: null, erased: true };
        return [{ collection: TICKETS_COLLECTION, filter: { workspace_id: workspaceId, customer_id }, update: { $set: { customer } } }];
      }
      case 'TagUpdated': {
        const { changes, previous_name } = event.data;
        const renamed = changes.name;
        if (!renamed) return NOTHING;
        const evolve = (ticket: TicketDocument): TicketDocument => ({
          ...ticket,
          tags: [...new Set(ticket.tags.map((tag) => (tag === previous_name ? renamed : tag)))],
        });
        return [{ collection: TICKETS_COLLECTION, filter: { workspace_id: workspaceId, tags: previous_name }, evolve }];
      }
      case 'TagDeleted': {
        const { name } = event.data;
        return [{ collection: TICKETS_COLLECTION, filter: { workspace_id: workspaceId, tags: name }, update: { $pull: { tags: name } } }];
      }
      default:
        return NOTHING;
    }
  },
});

/** A message of `ticket`, sharing the ticket's strings (ids) rather than the event's copies. */
function messageDocument(ticket: TicketDocument, message: MessageData, event: TicketsProjectionEvent, type: MessageDocument['type']): MessageDocument {
  return {
    _id: message.message_id,
    _position: event.position,
    workspace_id: ticket.workspace_id,
    id: message.message_id,
    ticket_id: ticket.id,
    type: message.author_type === 'system' ? 'system' : type,
    internal: message.internal,
    author_type: message.author_type,
    author_id: message.author_id === ticket.customer_id ? ticket.customer_id : message.author_id,
    body: message.body,
    external_id: message.external_id,
    echo_id: message.echo_id ?? null,
    sender_name: message.sender_name ?? null,
    edited_at: null,
    revision: event.revision,
    seq: event.position,
    ticket_deleted: false,
    created_at: event.metadata.occurred_at,
  };
}
