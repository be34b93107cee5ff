import type { Decider } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, notFound } from '@ledgerdesk/shared';
import type { AuthorType, CustomerSnapshot, MessageData, TicketEvent, TicketPriority, TicketSource, TicketStatus } from './ticket.events';

export type TicketCommand =
  | {
      type: 'CreateTicket';
      ticketId: string;
      workspaceId: string;
      ticketNumber: number;
      subject: string;
      description: string;
      priority: TicketPriority;
      source: TicketSource;
      inboxId: string | null;
      customer: CustomerSnapshot;
      assigneeId: string | null;
      tags: string[];
      ticketTokenHash: string | null;
      /** The contact session the ticket is created for (API channel), else null. */
      sourceId?: string | null;
      /** The first message's client id (client API). */
      echoId?: string | null;
      messageId: string;
      authorType: AuthorType;
      authorId: string | null;
      externalId: string | null;
    }
  | {
      type: 'AppendMessage';
      workspaceId: string;
      messageId: string;
      authorType: AuthorType;
      /** null for a customer message: the ticket's own customer. */
      authorId: string | null;
      body: string;
      internal: boolean;
      externalId: string | null;
      echoId?: string | null;
      /** Recorded as sender_name (agent messages: the user's or the workspace's name). */
      senderName?: string | null;
      /** A contact session's customer writing: the ticket must be theirs (else 404), and they are the author. */
      sessionCustomerId?: string;
    }
  /** A contact edits one of its own public messages. */
  | { type: 'EditMessage'; workspaceId: string; messageId: string; body: string; editorCustomerId: string }
  | {
      type: 'UpdateTicket';
      workspaceId: string;
      /** If-Match: the stream revision the client saw (412 when stale). */
      expectedVersion?: number;
      status?: TicketStatus;
      priority?: TicketPriority;
      /** undefined: unchanged; null: unassign. */
      assigneeId?: string | null;
      tags?: string[];
      subject?: string;
      /** Merged into the current fields; a null value removes the field. */
      customFields?: Record<string, unknown>;
    }
  /** The assignee was deleted: unassign, unless the ticket went to someone else meanwhile. */
  | { type: 'UnassignDeletedUser'; userId: string }
  | { type: 'DeleteTicket'; workspaceId: string; expectedVersion?: number }
  | { type: 'MergeTicket'; workspaceId: string; intoTicketId: string };

/** What the rules need to know of each message: who wrote it, and the body of an editable one. */
export interface MessageFacts {
  authorType: AuthorType;
  authorId: string | null;
  internal: boolean;
  /** Kept for public customer messages only (the only ones a contact may edit). */
  body: string | null;
}

/** A customer message on a ticket in one of these statuses reopens it (API.md section 4). */
const REOPENED_BY_CUSTOMER: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['pending', 'solved']);

export interface TicketState {
  exists: boolean;
  id: string | null;
  workspaceId: string | null;
  status: TicketStatus;
  inboxId: string | null;
  ticketTokenHash: string | null;
  mergedIntoId: string | null;
  deleted: boolean;
  messageCount: number;
  priority: TicketPriority;
  assigneeId: string | null;
  tags: string[];
  subject: string;
  customFields: Record<string, unknown>;
  customerId: string | null;
  ticketNumber: number | null;
  messages: Record<string, MessageFacts>;
  /** Stream revision (the ETag): -1 before the first event. */
  revision: number;
}

export const initialTicketState: TicketState = {
  exists: false,
  id: null,
  workspaceId: null,
  status: 'new',
  inboxId: null,
  ticketTokenHash: null,
  mergedIntoId: null,
  deleted: false,
  messageCount: 0,
  priority: 'medium',
  assigneeId: null,
  tags: [],
  subject: '',
  customFields: {},
  customerId: null,
  ticketNumber: null,
  messages: {},
  revision: -1,
};

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** Visible to the workspace (tenancy), and at the version the client saw (If-Match). */
function assertWritable(state: TicketState, workspaceId: string, expectedVersion: number | undefined): string {
  assertVisibleTo(state, workspaceId, 'Ticket');
  if (!state.id) throw notFound('Ticket');
  if (expectedVersion !== undefined && expectedVersion !== state.revision) {
    throw new DomainError('PRECONDITION_FAILED', `Ticket version is ${state.revision}, not ${expectedVersion}`, {
      current_version: state.revision,
    });
  }
  return state.id;
}

/** A merged ticket refuses new messages and names its target, so clients can follow it. */
const mergedConflict = (state: TicketState) =>
  new DomainError('CONFLICT', `Ticket was merged into ${state.mergedIntoId}`, { merged_into_id: state.mergedIntoId });

function decide(command: TicketCommand, state: TicketState): TicketEvent[] {
  switch (command.type) {
    case 'CreateTicket': {
      if (state.exists) throw new DomainError('CONFLICT', 'Ticket already exists');
      const created: TicketEvent = {
        type: 'TicketCreated',
        data: {
          ticket_id: command.ticketId,
          workspace_id: command.workspaceId,
          ticket_number: command.ticketNumber,
          subject: command.subject,
          description: command.description,
          status: 'new',
          priority: command.priority,
          source: command.source,
          inbox_id: command.inboxId,
          customer: command.customer,
          assignee_id: command.assigneeId,
          tags: command.tags,
          custom_fields: {},
          ticket_token_hash: command.ticketTokenHash,
          ...(command.sourceId ? { source_id: command.sourceId } : {}),
          first_message_id: command.description ? command.messageId : null,
        },
      };
      if (!command.description) return [created];
      return [
        created,
        {
          type: 'MessageAppended',
          data: {
            ticket_id: command.ticketId,
            message_id: command.messageId,
            author_type: command.authorType,
            author_id: command.authorId,
            body: command.description,
            internal: false,
            external_id: command.externalId,
            ...(command.echoId ? { echo_id: command.echoId } : {}),
            opens_ticket: true,
          },
        },
      ];
    }
    case 'AppendMessage': {
      assertVisibleTo(state, command.workspaceId, 'Ticket');
      if (!state.id) throw notFound('Ticket');
      // Another customer's ticket is not one a session may see.
      if (command.sessionCustomerId !== undefined && command.sessionCustomerId !== state.customerId) throw notFound('Ticket');
      if (state.mergedIntoId) throw mergedConflict(state);
      const customerMessage = command.authorType === 'customer' && !command.internal;
      const events: TicketEvent[] = [
        {
          type: 'MessageAppended',
          data: {
            ticket_id: state.id,
            message_id: command.messageId,
            author_type: command.authorType,
            author_id: command.authorId ?? (command.authorType === 'customer' ? (command.sessionCustomerId ?? state.customerId) : null),
            body: command.body,
            internal: command.internal,
            external_id: command.externalId,
            ...(command.echoId ? { echo_id: command.echoId } : {}),
            ...(command.senderName !== undefined ? { sender_name: command.senderName } : {}),
          },
        },
      ];
      // The customer is waiting again: its own event, so the history says why the status moved.
      if (customerMessage && REOPENED_BY_CUSTOMER.has(state.status)) {
        events.push({ type: 'TicketReopened', data: { ticket_id: state.id, status: 'open', previous_status: state.status } });
      }
      return events;
    }
    case 'EditMessage': {
      assertVisibleTo(state, command.workspaceId, 'Ticket');
      // A ticket of another customer, an unknown message or an internal note: nothing the contact can see.
      if (!state.id || state.customerId !== command.editorCustomerId) throw notFound('Message');
      const message = state.messages[command.messageId];
      if (!message || message.internal) throw notFound('Message');
      if (message.authorType !== 'customer' || message.authorId !== command.editorCustomerId || message.body === null) {
        throw new DomainError('FORBIDDEN', 'Only the author of a message may edit it');
      }
      if (state.mergedIntoId) throw mergedConflict(state);
      if (message.body === command.body) return [];
      return [{ type: 'MessageEdited', data: { ticket_id: state.id, message_id: command.messageId, body: command.body, previous_body: message.body } }];
    }
    case 'UnassignDeletedUser': {
      // Deleted and merged tickets are closed for good: nothing follows their last event.
      if (!state.exists || state.deleted || state.mergedIntoId || state.assigneeId !== command.userId) return [];
      return [{ type: 'TicketUnassigned', data: { ticket_id: state.id as string, previous_assignee_id: command.userId } }];
    }
    case 'UpdateTicket': {
      const id = assertWritable(state, command.workspaceId, command.expectedVersion);
      if (state.mergedIntoId) throw mergedConflict(state);
      const events: TicketEvent[] = [];
      if (command.status !== undefined && command.status !== state.status) {
        events.push({ type: 'TicketStatusChanged', data: { ticket_id: id, status: command.status, previous_status: state.status } });
      }
      if (command.priority !== undefined && command.priority !== state.priority) {
        events.push({ type: 'TicketPriorityChanged', data: { ticket_id: id, priority: command.priority, previous_priority: state.priority } });
      }
      if (command.assigneeId !== undefined && command.assigneeId !== state.assigneeId) {
        events.push(
          command.assigneeId === null
            ? { type: 'TicketUnassigned', data: { ticket_id: id, previous_assignee_id: state.assigneeId as string } }
            : { type: 'TicketAssigned', data: { ticket_id: id, assignee_id: command.assigneeId, previous_assignee_id: state.assigneeId } },
        );
      }
      if (command.tags !== undefined && !sameSet(command.tags, state.tags)) {
        events.push({
          type: 'TicketTagsChanged',
          data: {
            ticket_id: id,
            tags: command.tags,
            added: command.tags.filter((t) => !state.tags.includes(t)),
            removed: state.tags.filter((t) => !command.tags!.includes(t)),
          },
        });
      }
      if (command.subject !== undefined && command.subject !== state.subject) {
        events.push({ type: 'TicketSubjectChanged', data: { ticket_id: id, subject: command.subject, previous_subject: state.subject } });
      }
      if (command.customFields !== undefined) {
        const next: Record<string, unknown> = { ...state.customFields };
        const changed: string[] = [];
        for (const [key, value] of Object.entries(command.customFields)) {
          if (JSON.stringify(next[key] ?? null) === JSON.stringify(value)) continue;
          changed.push(key);
          if (value === null) delete next[key];
          else next[key] = value;
        }
        if (changed.length) events.push({ type: 'TicketCustomFieldsChanged', data: { ticket_id: id, custom_fields: next, changed } });
      }
      return events;
    }
    case 'DeleteTicket': {
      const id = assertWritable(state, command.workspaceId, command.expectedVersion);
      return [{ type: 'TicketDeleted', data: { ticket_id: id, customer_id: state.customerId, tags: state.tags } }];
    }
    case 'MergeTicket': {
      const id = assertWritable(state, command.workspaceId, undefined);
      if (state.mergedIntoId) throw mergedConflict(state);
      if (command.intoTicketId === id) {
        throw new DomainError('VALIDATION', 'A ticket cannot be merged into itself', { into_ticket_id: ['must name another ticket'] });
      }
      return [{ type: 'TicketMerged', data: { ticket_id: id, into_ticket_id: command.intoTicketId, status: 'closed', previous_status: state.status } }];
    }
  }
}

function evolve(previous: TicketState, event: TicketEvent): TicketState {
  const state = { ...previous, revision: previous.revision + 1 };
  switch (event.type) {
    case 'TicketCreated':
      return {
        ...state,
        exists: true,
        id: event.data.ticket_id,
        workspaceId: event.data.workspace_id,
        status: event.data.status,
        inboxId: event.data.inbox_id,
        ticketTokenHash: event.data.ticket_token_hash,
        priority: event.data.priority,
        assigneeId: event.data.assignee_id,
        tags: event.data.tags,
        subject: event.data.subject,
        customFields: event.data.custom_fields,
        customerId: event.data.customer.id,
        ticketNumber: event.data.ticket_number,
        // Events written before the first message had its own event carry it here.
        messageCount: event.data.message ? 1 : 0,
        messages: event.data.message ? withMessage(state.messages, event.data.message) : state.messages,
      };
    case 'MessageAppended':
      return { ...state, messageCount: state.messageCount + (event.data.internal ? 0 : 1), messages: withMessage(state.messages, event.data) };
    case 'MessageEdited': {
      const message = state.messages[event.data.message_id];
      return message ? { ...state, messages: { ...state.messages, [event.data.message_id]: { ...message, body: event.data.body } } } : state;
    }
    case 'TicketReopened':
      return { ...state, status: event.data.status };
    case 'TicketStatusChanged':
      return { ...state, status: event.data.status };
    case 'TicketPriorityChanged':
      return { ...state, priority: event.data.priority };
    case 'TicketAssigned':
      return { ...state, assigneeId: event.data.assignee_id };
    case 'TicketUnassigned':
      return { ...state, assigneeId: null };
    case 'TicketTagsChanged':
      return { ...state, tags: event.data.tags };
    case 'TicketSubjectChanged':
      return { ...state, subject: event.data.subject };
    case 'TicketCustomFieldsChanged':
      return { ...state, customFields: event.data.custom_fields };
    case 'TicketDeleted':
      return { ...state, deleted: true };
    case 'TicketMerged':
      return { ...state, status: 'closed', mergedIntoId: event.data.into_ticket_id };
    default:
      return state;
  }
}

function withMessage(messages: Record<string, MessageFacts>, m: MessageData): Record<string, MessageFacts> {
  const editable = m.author_type === 'customer' && !m.internal;
  return { ...messages, [m.message_id]: { authorType: m.author_type, authorId: m.author_id, internal: m.internal, body: editable ? m.body : null } };
}

export const ticketDecider: Decider<TicketCommand, TicketEvent, TicketState> = {
  decide,
  evolve,
  initialState: initialTicketState,
};
