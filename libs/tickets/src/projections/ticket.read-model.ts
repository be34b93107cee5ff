import type { RecordedOf } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument, SharedValues } from '@ledgerdesk/read-store';
import type { AuthorType, CustomerSnapshot, TicketCreatedData, TicketEvent, TicketPriority, TicketSource, TicketStatus } from '../domain/ticket.events';

/** A ticket event as read from the log. */
export type RecordedTicketEvent = RecordedOf<TicketEvent>;

export const TICKETS_COLLECTION = 'tickets';
export const MESSAGES_COLLECTION = 'messages';

/** The texts GET /tickets `search` looks in; the read store keeps their search tokens (tickets.projection.ts). */
export const TICKET_SEARCH_FIELDS: readonly string[] = ['subject', 'description'];

/** Sorting by priority needs an order, not the alphabet. */
export const PRIORITY_RANK: Record<TicketPriority, number> = { low: 1, medium: 2, high: 3, urgent: 4 };

export interface TicketDocument extends ProjectedDocument {
  workspace_id: string;
  id: string;
  ticket_number: number;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  priority_rank: number;
  source: TicketSource;
  inbox_id: string | null;
  /** The contact session of a channel ticket (null on others): lists a session's conversations. */
  source_id: string | null;
  customer_id: string;
  customer: CustomerSnapshot & { erased?: boolean };
  assignee_id: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  merged_into_id: string | null;
  deleted: boolean;
  message_count: number;
  /** Stream revision, sent as the ETag. */
  version: number;
  created_at: string;
  updated_at: string;
  last_message_at: string;
}

export interface MessageDocument extends ProjectedDocument {
  workspace_id: string;
  id: string;
  ticket_id: string;
  type: 'reply' | 'note' | 'system';
  internal: boolean;
  author_type: AuthorType;
  author_id: string | null;
  body: string;
  external_id: string | null;
  /** The client's own id for it (client API); null when none. */
  echo_id: string | null;
  /** The sender's name recorded with an agent message; null on customer messages (the ticket's customer names them). */
  sender_name: string | null;
  /** When a contact last edited it; null until then. */
  edited_at: string | null;
  /** Stream revision of the event that added it: orders messages sharing a timestamp. */
  revision: number;
  /** Log position of the event that added it: the conversation order across tickets. */
  seq: number;
  /** Set when the ticket is deleted: its entries are no longer listed. */
  ticket_deleted: boolean;
  created_at: string;
}

/** Where a ticket event is: its log position, stream revision and time. */
export interface DocumentAt {
  position: number;
  revision: number;
  occurredAt: string;
}

/**
 * The tickets read model's document for a new ticket; also the body of the create response.
 * With `shared`, the values tickets repeat (workspace id, customer snapshot) are the shared
 * instances (see SharedValues).
 */
export function ticketDocumentFromCreated(data: TicketCreatedData, at: DocumentAt, shared?: SharedValues): TicketDocument {
  const customer = shared ? shared.record(data.customer.id, data.customer) : data.customer;
  return {
    _id: data.ticket_id,
    _position: at.position,
    workspace_id: shared ? shared.string(data.workspace_id) : data.workspace_id,
    id: data.ticket_id,
    ticket_number: data.ticket_number,
    subject: data.subject,
    description: data.description,
    status: data.status,
    priority: data.priority,
    priority_rank: PRIORITY_RANK[data.priority],
    source: data.source,
    inbox_id: data.inbox_id,
    // Plain fields, never conditional spreads: every document keeps one shape on the replay path.
    source_id: data.source_id ?? null,
    customer_id: customer.id,
    customer,
    assignee_id: data.assignee_id,
    tags: data.tags,
    custom_fields: data.custom_fields,
    merged_into_id: null,
    deleted: false,
    message_count: data.message ? 1 : 0,
    version: at.revision,
    created_at: at.occurredAt,
    updated_at: at.occurredAt,
    last_message_at: at.occurredAt,
  };
}

/**
 * A ticket's times never go back. An event may be stamped before the one it follows: API
 * processes on hosts whose clocks differ, or a request resumed after its process died (stamped
 * when it was first claimed). A client that syncs with `updated_since` set to the last
 * `updated_at` it saw (inclusive) then still gets the ticket again.
 */
const laterOf = (current: string, occurredAt: string): string => (occurredAt > current ? occurredAt : current);

/** The ticket document after a message was appended at `at` (a note changes only its version). */
export function ticketDocumentWithMessage(doc: TicketDocument, message: { internal: boolean }, at: DocumentAt): TicketDocument {
  const { position: _position, revision: version, occurredAt } = at;
  const updated_at = laterOf(doc.updated_at, occurredAt);
  if (message.internal) return { ...doc, _position, version, updated_at };
  return { ...doc, _position, version, updated_at, message_count: doc.message_count + 1, last_message_at: laterOf(doc.last_message_at, occurredAt) };
}

/** The read-model fields one ticket event changes (besides version and updated_at). */
function ticketChanges(event: RecordedTicketEvent): Partial<TicketDocument> {
  switch (event.type) {
    case 'TicketStatusChanged':
    case 'TicketReopened':
      return { status: event.data.status };
    case 'TicketPriorityChanged':
      return { priority: event.data.priority, priority_rank: PRIORITY_RANK[event.data.priority] };
    case 'TicketAssigned':
      return { assignee_id: event.data.assignee_id };
    case 'TicketUnassigned':
      return { assignee_id: null };
    case 'TicketTagsChanged':
      return { tags: event.data.tags };
    case 'TicketSubjectChanged':
      return { subject: event.data.subject };
    case 'TicketCustomFieldsChanged':
      return { custom_fields: event.data.custom_fields };
    case 'TicketDeleted':
      return { deleted: true };
    case 'TicketMerged':
      return { status: 'closed', merged_into_id: event.data.into_ticket_id };
    default:
      return {};
  }
}

/**
 * The ticket document after one of its own events: the tickets projection's evolve, and how a
 * write answers with the ticket it left behind without waiting for the projection. With
 * `shared`, a new ticket holds the shared instances of the values tickets repeat.
 */
export function evolveTicketDocument(doc: TicketDocument | null, event: RecordedTicketEvent, shared?: SharedValues): TicketDocument | null {
  const occurredAt = event.metadata.occurred_at;
  switch (event.type) {
    case 'TicketCreated':
      return ticketDocumentFromCreated(event.data, { position: event.position, revision: event.revision, occurredAt }, shared);
    case 'MessageAppended':
      if (!doc) throw new Error(`MessageAppended for unknown ticket ${event.data.ticket_id}`);
      return ticketDocumentWithMessage(doc, event.data, { position: event.position, revision: event.revision, occurredAt });
    default:
      if (!doc) return null;
      return { ...doc, _position: event.position, version: event.revision, updated_at: laterOf(doc.updated_at, occurredAt), ...ticketChanges(event) };
  }
}
