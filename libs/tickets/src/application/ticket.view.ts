import type { MessageDocument, TicketDocument } from '../projections/ticket.read-model';

/** The public Ticket object of API.md section 4. */
export function toTicketView(doc: TicketDocument) {
  return {
    id: doc.id,
    ticket_number: doc.ticket_number,
    subject: doc.subject,
    description: doc.description,
    status: doc.status,
    priority: doc.priority,
    source: doc.source,
    inbox_id: doc.inbox_id,
    customer_id: doc.customer_id,
    customer: doc.customer,
    assignee_id: doc.assignee_id,
    tags: doc.tags,
    custom_fields: doc.custom_fields,
    merged_into_id: doc.merged_into_id,
    message_count: doc.message_count,
    created_at: doc.created_at,
    updated_at: doc.updated_at,
    last_message_at: doc.last_message_at,
  };
}

export type TicketView = ReturnType<typeof toTicketView>;

export function toMessageView(doc: Pick<MessageDocument, 'id' | 'author_type' | 'author_id' | 'body' | 'created_at'>) {
  return { id: doc.id, author_type: doc.author_type, author_id: doc.author_id, body: doc.body, created_at: doc.created_at };
}
