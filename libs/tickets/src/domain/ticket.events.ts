export type TicketStatus = 'new' | 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
export type TicketPriority = 'low' | 'medium' | 'high' | 'urgent';
export type TicketSource = 'api' | 'intake' | 'channel';
export type AuthorType = 'customer' | 'agent' | 'system';

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['low', 'medium', 'high', 'urgent'];

/** Snapshot of the customer at the time of the event, so projections need no lookups. */
export interface CustomerSnapshot {
  id: string;
  name: string | null;
  email: string | null;
  company: string | null;
}

export interface MessageData {
  message_id: string;
  author_type: AuthorType;
  author_id: string | null;
  body: string;
  internal: boolean;
  external_id: string | null;
  /** The client's own id for the message (client API), echoed back so it can match its local copy. */
  echo_id?: string | null;
  /**
   * The sender's display name when written (a user's name, or the workspace's name for an
   * outgoing message without author), so views and callbacks need no lookups. Absent on
   * customer messages: their name is the ticket's customer snapshot, which follows renames.
   */
  sender_name?: string | null;
}

export interface TicketCreatedData {
  ticket_id: string;
  workspace_id: string;
  ticket_number: number;
  subject: string;
  description: string;
  status: TicketStatus;
  priority: TicketPriority;
  source: TicketSource;
  inbox_id: string | null;
  customer: CustomerSnapshot;
  assignee_id: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  /** SHA-256 of the intake ticket token, when the ticket came through intake. */
  ticket_token_hash: string | null;
  /** The contact session (API channel) the ticket was created for; absent on older events. */
  source_id?: string | null;
  /**
   * The id of the ticket's first message (its description), written as the MessageAppended with
   * `opens_ticket` right after this event, in the same append; null when the ticket starts with
   * no message (a channel ticket without description). Each event then has one place in the log,
   * which a real-time subscriber resumes from.
   */
  first_message_id?: string | null;
  /** Events written before the first message had its own event carry it here (null: none). */
  message?: MessageData | null;
}

/** A message added to a ticket; `opens_ticket` marks the first one, written with TicketCreated. */
export type MessageAppendedData = MessageData & { ticket_id: string; opens_ticket?: boolean };

export type TicketEvent =
  | { type: 'TicketCreated'; data: TicketCreatedData }
  | { type: 'MessageAppended'; data: MessageAppendedData }
  | { type: 'TicketStatusChanged'; data: { ticket_id: string; status: TicketStatus; previous_status: TicketStatus } }
  | { type: 'TicketPriorityChanged'; data: { ticket_id: string; priority: TicketPriority; previous_priority: TicketPriority } }
  | { type: 'TicketAssigned'; data: { ticket_id: string; assignee_id: string; previous_assignee_id: string | null } }
  | { type: 'TicketUnassigned'; data: { ticket_id: string; previous_assignee_id: string } }
  | { type: 'TicketTagsChanged'; data: { ticket_id: string; tags: string[]; added: string[]; removed: string[] } }
  | { type: 'TicketSubjectChanged'; data: { ticket_id: string; subject: string; previous_subject: string } }
  | { type: 'TicketCustomFieldsChanged'; data: { ticket_id: string; custom_fields: Record<string, unknown>; changed: string[] } }
  /** `customer_id` and `tags` let other read models keep their counts without a lookup. */
  | { type: 'TicketDeleted'; data: { ticket_id: string; customer_id: string | null; tags: string[] } }
  /** The source of a merge: closed, pointing at its target. */
  | { type: 'TicketMerged'; data: { ticket_id: string; into_ticket_id: string; status: 'closed'; previous_status: TicketStatus } }
  /** A customer message arrived on a pending or solved ticket (written right after that MessageAppended). */
  | { type: 'TicketReopened'; data: { ticket_id: string; status: 'open'; previous_status: TicketStatus } }
  /** A contact edited one of its own messages. */
  | { type: 'MessageEdited'; data: { ticket_id: string; message_id: string; body: string; previous_body: string } };

export const TICKET_EVENT_TYPES: ReadonlySet<string> = new Set<TicketEvent['type']>([
  'TicketCreated',
  'MessageAppended',
  'TicketStatusChanged',
  'TicketPriorityChanged',
  'TicketAssigned',
  'TicketUnassigned',
  'TicketTagsChanged',
  'TicketSubjectChanged',
  'TicketCustomFieldsChanged',
  'TicketDeleted',
  'TicketMerged',
  'TicketReopened',
  'MessageEdited',
]);

/**
 * Whether consumers announce the ticket at this event (the `ticket.created` webhook, the Slack
 * thread's root): the first message it was created with, else its creation.
 */
export function announcesTicket(event: { type: string; data: unknown }): boolean {
  if (event.type === 'TicketCreated') return !(event.data as TicketCreatedData).first_message_id;
  return event.type === 'MessageAppended' && (event.data as MessageAppendedData).opens_ticket === true;
}

export const ticketStreamId = (ticketId: string) => `ticket-${ticketId}`;
export const ticketIdFromStream = (streamId: string) => streamId.slice('ticket-'.length);
