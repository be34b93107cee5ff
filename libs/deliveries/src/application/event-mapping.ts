import { erasedCustomer, profileOfCreated, toCustomerView, type CustomerCreatedData } from '@ledgerdesk/customers';
import type { RecordedEvent } from '@ledgerdesk/event-store';
import { announcesTicket, type AuthorType } from '@ledgerdesk/tickets';

/**
 * Which public webhook type a log event becomes (API.md section 7). Routed by the stable
 * event `type` string, never by class. Events on a ticket stream that are not creation,
 * messages, merge or deletion are "the ticket changed": ticket.updated.
 */
const TICKET_STREAM = /^ticket-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
let lastStream = '';
let lastTicketId: string | null = null;
/** The ticket a stream holds, if any (asked several times per event: the last answer is kept). */
export function ticketIdOfStream(streamId: string): string | null {
  if (streamId !== lastStream) {
    lastTicketId = TICKET_STREAM.test(streamId) ? streamId.slice('ticket-'.length) : null;
    lastStream = streamId;
  }
  return lastTicketId;
}

export function webhookTypeOf(event: RecordedEvent): string | null {
  if (ticketIdOfStream(event.streamId)) {
    switch (event.type) {
      // Announced once, with its first message when it has one (API.md section 7: creating a
      // ticket emits ticket.created only).
      case 'TicketCreated':
        return announcesTicket(event) ? 'ticket.created' : null;
      case 'MessageAppended':
        return announcesTicket(event) ? 'ticket.created' : 'ticket.message.created';
      case 'TicketMerged':
        return 'ticket.merged';
      case 'TicketDeleted':
        return 'ticket.deleted';
      default:
        return event.type.startsWith('Ticket') ? 'ticket.updated' : null;
    }
  }
  if (event.type === 'CustomerCreated') return 'customer.created';
  if (event.type === 'CustomerDeleted') return 'customer.deleted';
  return null;
}

export interface MessagePayload {
  id: string;
  author_type: AuthorType;
  author_id: string | null;
  body: string;
  internal: boolean;
  external_id: string | null;
  created_at: string;
}

/** The message an event adds, if any (TicketCreated carried the first message in events written before it had its own). */
export function messageOf(event: RecordedEvent): MessagePayload | null {
  const data = event.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const m = event.type === 'TicketCreated' ? data.message : event.type === 'MessageAppended' ? data : null;
  if (!m) return null;
  return {
    id: m.message_id,
    author_type: m.author_type,
    author_id: m.author_id ?? null,
    body: m.body,
    internal: Boolean(m.internal),
    external_id: m.external_id ?? null,
    created_at: event.metadata.occurred_at,
  };
}

/** The sender's name recorded with the message an event adds (agent messages), else null. */
export function senderNameOf(event: RecordedEvent): string | null {
  const data = event.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const m = event.type === 'TicketCreated' ? data.message : event.type === 'MessageAppended' ? data : null;
  return typeof m?.sender_name === 'string' ? m.sender_name : null;
}

/** The message a contact's edit changed (MessageEdited), else null. */
export function editedMessageIdOf(event: RecordedEvent): string | null {
  return event.type === 'MessageEdited' ? ((event.data as { message_id?: string }).message_id ?? null) : null;
}

/** The customer object of a `customer.*` payload (API.md section 7), from the customer event. */
export function customerOf(event: RecordedEvent): Record<string, unknown> {
  const data = event.data as Partial<CustomerCreatedData> & { customer_id: string };
  // The erased form tickets show (API.md section 6): the deleted customer's data is gone.
  if (event.type === 'CustomerDeleted') return erasedCustomer(data.customer_id);
  // The customer object of sections 6 and 8 as of its creation: no tickets and no sessions yet.
  return toCustomerView({
    id: data.customer_id,
    ...profileOfCreated(data as CustomerCreatedData),
    custom_fields: data.custom_fields ?? {},
    ticket_count: 0,
    contact_inboxes: [],
    created_at: event.metadata.occurred_at,
    updated_at: event.metadata.occurred_at,
  });
}
