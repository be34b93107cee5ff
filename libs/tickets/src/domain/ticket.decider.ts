import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError, notFound } from '@ledgerdesk/shared';
import type {
  AuthorType,
  CustomerSnapshot,
  TicketEvent,
  TicketPriority,
  TicketSource,
  TicketStatus,
} from './ticket.events';

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
      messageId: string;
      authorType: AuthorType;
      authorId: string | null;
      externalId: string | null;
    }
  | {
      type: 'AppendMessage';
      messageId: string;
      authorType: AuthorType;
      authorId: string | null;
      body: string;
      internal: boolean;
      externalId: string | null;
    };

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
};

/** A merged ticket refuses new messages and names its target, so clients can follow it. */
const mergedConflict = (state: TicketState) =>
  new DomainError('CONFLICT', `Ticket was merged into ${state.mergedIntoId}`, { merged_into_id: state.mergedIntoId });

function decide(command: TicketCommand, state: TicketState): TicketEvent[] {
  switch (command.type) {
    case 'CreateTicket': {
      if (state.exists) throw new DomainError('CONFLICT', 'Ticket already exists');
      return [
        {
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
            message: {
              message_id: command.messageId,
              author_type: command.authorType,
              author_id: command.authorId,
              body: command.description,
              internal: false,
              external_id: command.externalId,
            },
          },
        },
      ];
    }
    case 'AppendMessage': {
      if (!state.exists || state.deleted || !state.id) throw notFound('Ticket');
      if (state.mergedIntoId) throw mergedConflict(state);
      return [
        {
          type: 'MessageAppended',
          data: {
            ticket_id: state.id,
            message_id: command.messageId,
            author_type: command.authorType,
            author_id: command.authorId,
            body: command.body,
            internal: command.internal,
            external_id: command.externalId,
          },
        },
      ];
    }
  }
}

function evolve(state: TicketState, event: TicketEvent): TicketState {
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
        messageCount: 1,
      };
    case 'MessageAppended':
      return { ...state, messageCount: state.messageCount + (event.data.internal ? 0 : 1) };
  }
}

export const ticketDecider: Decider<TicketCommand, TicketEvent, TicketState> = {
  decide,
  evolve,
  initialState: initialTicketState,
};
