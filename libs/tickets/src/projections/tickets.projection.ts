import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import { SharedValues } from '@ledgerdesk/read-store';
import { TICKET_EVENT_TYPES, type TicketEvent } from '../domain/ticket.events';
import {
  MESSAGES_COLLECTION,
  TICKETS_COLLECTION,
  ticketChanges,
  ticketDocumentFromCreated,
  type MessageDocument,
  type TicketDocument,
} from './ticket.read-model';

/** Workspace ids and customer snapshots, held once however many tickets repeat them. */
const shared = new SharedValues();

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
      { keys: { customer_id: 1 } },
    ],
    [MESSAGES_COLLECTION]: [
      { keys: { ticket_id: 1, revision: 1 } },
      { keys: { ticket_id: 1, seq: 1, _id: 1 } },
      { keys: { workspace_id: 1, seq: 1, _id: 1 } },
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
    ],
  },
  // Every ticket event, plus the customer and tag changes denormalised onto tickets.
  eventTypes: new Set([...TICKET_EVENT_TYPES, 'CustomerUpdated', 'CustomerDeleted', 'TagUpdated', 'TagDeleted']),

  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const tickets = target.collection<TicketDocument>(TICKETS_COLLECTION);
    const messages = target.collection<MessageDocument>(MESSAGES_COLLECTION);
    const occurredAt = event.metadata.occurred_at;

    switch (event.type as TicketEvent['type']) {
      case 'TicketCreated': {
        const { data } = event as Recorded<'TicketCreated'>;
        const at = { position: event.position, revision: event.revision, occurredAt };
        const ticket = ticketDocumentFromCreated(data, at, shared);
        await tickets.put(ticket);
        // The first message usually repeats the description: keep one copy of the text in memory.
        const message = data.message.body === data.description ? { ...data.message, body: data.description } : data.message;
        await messages.put(messageDocument(ticket, message, event, 'reply'));
        return;
      }
      case 'MessageAppended': {
        const { data } = event as Recorded<'MessageAppended'>;
        const ticket = await tickets.findOne({ _id: data.ticket_id });
        if (!ticket) throw new Error(`MessageAppended for unknown ticket ${data.ticket_id}`);
        await messages.put(messageDocument(ticket, data, event, data.internal ? 'note' : 'reply'));
        const set: Record<string, unknown> = { version: event.revision, updated_at: occurredAt };
        if (!data.internal) set.last_message_at = occurredAt;
        await tickets.updateMany({ _id: data.ticket_id }, { $set: set, $inc: { message_count: data.internal ? 0 : 1 } }, event.position);
        return;
      }
      case 'TicketStatusChanged':
      case 'TicketPriorityChanged':
      case 'TicketAssigned':
      case 'TicketUnassigned':
      case 'TicketTagsChanged':
      case 'TicketSubjectChanged':
      case 'TicketCustomFieldsChanged':
      case 'TicketDeleted':
      case 'TicketMerged': {
        const e = { type: event.type, data: event.data } as unknown as TicketEvent;
        const set: Record<string, unknown> = { version: event.revision, updated_at: occurredAt, ...ticketChanges(e) };
        const ticketId = (event.data as { ticket_id: string }).ticket_id;
        await tickets.updateMany({ _id: ticketId }, { $set: set }, event.position);
        // A deleted ticket's conversation entries leave the lists with it.
        if (event.type === 'TicketDeleted') await messages.updateMany({ ticket_id: ticketId }, { $set: { ticket_deleted: true } }, event.position);
        return;
      }
    }
    // Events of other aggregates that change what tickets show.
    const workspaceId = event.metadata.workspace_id as string;
    switch (event.type) {
      case 'CustomerUpdated': {
        const { customer_id, changes } = event.data as { customer_id: string; changes: Record<string, unknown> };
        const set: Record<string, unknown> = {};
        for (const field of ['name', 'email', 'company']) if (field in changes) set[`customer.${field}`] = changes[field];
        if (Object.keys(set).length) await tickets.updateMany({ workspace_id: workspaceId, customer_id }, { $set: set }, event.position);
        return;
      }
      case 'CustomerDeleted': {
        // Erasure: tickets stay, their customer becomes a placeholder.
        const { customer_id } = event.data as { customer_id: string };
        await tickets.updateMany(
          { workspace_id: workspaceId, customer_id },
          { $set: { customer: { id: customer_id, name: null, email: null, company: null, erased: true } } },
          event.position,
        );
        return;
      }
      case 'TagUpdated': {
        const { changes, previous_name } = event.data as { changes: { name?: string }; previous_name: string };
        const newName = changes.name;
        if (!newName) return;
        const renamed = await tickets.find({ workspace_id: workspaceId, tags: previous_name });
        for (const doc of renamed) {
          const tags = [...new Set(doc.tags.map((t) => (t === previous_name ? newName : t)))];
          await tickets.put({ ...doc, tags, _position: event.position });
        }
        return;
      }
      case 'TagDeleted': {
        const { name } = event.data as { name: string };
        await tickets.updateMany({ workspace_id: workspaceId, tags: name }, { $pull: { tags: name } }, event.position);
        return;
      }
    }
  },
};

/** A message of `ticket`, sharing the ticket's strings (ids) rather than the event's copies. */
function messageDocument(
  ticket: TicketDocument,
  message: {
    message_id: string;
    author_type: MessageDocument['author_type'];
    author_id: string | null;
    body: string;
    internal: boolean;
    external_id: string | null;
  },
  event: RecordedEvent,
  type: MessageDocument['type'],
): MessageDocument {
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
    revision: event.revision,
    seq: event.position,
    ticket_deleted: false,
    created_at: event.metadata.occurred_at,
  };
}
