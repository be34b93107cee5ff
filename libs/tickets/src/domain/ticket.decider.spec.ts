import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { ticketDecider, type TicketCommand } from './ticket.decider';
import type { TicketEvent } from './ticket.events';

const spec = deciderSpecification(ticketDecider);

const create: Extract<TicketCommand, { type: 'CreateTicket' }> = {
  type: 'CreateTicket',
  ticketId: 't-1',
  workspaceId: 'w-1',
  ticketNumber: 1001,
  subject: 'Cannot log in',
  description: 'Redirect loop after reset',
  priority: 'high',
  source: 'api',
  inboxId: null,
  customer: { id: 'c-1', name: 'Jane', email: 'jane@example.com', company: null },
  assigneeId: null,
  tags: ['login'],
  ticketTokenHash: null,
  messageId: 'm-1',
  authorType: 'customer',
  authorId: 'c-1',
  externalId: null,
};

const created: TicketEvent = {
  type: 'TicketCreated',
  data: {
    ticket_id: 't-1',
    workspace_id: 'w-1',
    ticket_number: 1001,
    subject: 'Cannot log in',
    description: 'Redirect loop after reset',
    status: 'new',
    priority: 'high',
    source: 'api',
    inbox_id: null,
    customer: { id: 'c-1', name: 'Jane', email: 'jane@example.com', company: null },
    assignee_id: null,
    tags: ['login'],
    custom_fields: {},
    ticket_token_hash: null,
    message: {
      message_id: 'm-1',
      author_type: 'customer',
      author_id: 'c-1',
      body: 'Redirect loop after reset',
      internal: false,
      external_id: null,
    },
  },
};

const append: TicketCommand = {
  type: 'AppendMessage',
  workspaceId: 'w-1',
  messageId: 'm-2',
  authorType: 'customer',
  authorId: 'c-1',
  body: 'Still broken',
  internal: false,
  externalId: 'ext-9',
};

describe('ticket decider', () => {
  it('given no ticket, when created, then TicketCreated carries the first message', () => {
    spec.given([]).when(create).then([created]);
  });

  it('given a ticket, when created again, then it conflicts', () => {
    spec
      .given([created])
      .when(create)
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });

  it('given a ticket, when a message is appended, then MessageAppended', () => {
    spec
      .given([created])
      .when(append)
      .then([
        {
          type: 'MessageAppended',
          data: {
            ticket_id: 't-1',
            message_id: 'm-2',
            author_type: 'customer',
            author_id: 'c-1',
            body: 'Still broken',
            internal: false,
            external_id: 'ext-9',
          },
        },
      ]);
  });

  it('given no ticket, when a message is appended, then not found', () => {
    spec
      .given([])
      .when(append)
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});
