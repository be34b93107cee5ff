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
    first_message_id: 'm-1',
  },
};

const firstMessage: TicketEvent = {
  type: 'MessageAppended',
  data: {
    ticket_id: 't-1',
    message_id: 'm-1',
    author_type: 'customer',
    author_id: 'c-1',
    body: 'Redirect loop after reset',
    internal: false,
    external_id: null,
    opens_ticket: true,
  },
};

/** A ticket as written before its first message had its own event. */
const createdWithMessageInside: TicketEvent = {
  type: 'TicketCreated',
  data: {
    ...(created.data as Extract<TicketEvent, { type: 'TicketCreated' }>['data']),
    first_message_id: undefined,
    message: { message_id: 'm-1', author_type: 'customer', author_id: 'c-1', body: 'Redirect loop after reset', internal: false, external_id: null },
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
  it('given no ticket, when created, then TicketCreated and its first message, each an event of its own', () => {
    spec.given([]).when(create).then([created, firstMessage]);
  });

  it('given no ticket, when created without a description, then TicketCreated alone, with no first message', () => {
    spec
      .given([])
      .when({ ...create, description: '' })
      .then([
        {
          type: 'TicketCreated',
          data: { ...(created.data as Extract<TicketEvent, { type: 'TicketCreated' }>['data']), description: '', first_message_id: null },
        },
      ]);
  });

  it('given a ticket written with its first message inside TicketCreated, when a message is appended, then the first one still counts', () => {
    const state = [createdWithMessageInside].reduce(ticketDecider.evolve, ticketDecider.initialState);
    expect(state.messageCount).toBe(1);
    expect(state.messages['m-1']).toEqual({ authorType: 'customer', authorId: 'c-1', internal: false, body: 'Redirect loop after reset' });
    expect(state).toEqual({ ...[created, firstMessage].reduce(ticketDecider.evolve, ticketDecider.initialState), revision: 0 });
  });

  it('given a ticket, when created again, then it conflicts', () => {
    spec
      .given([created, firstMessage])
      .when(create)
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });

  it('given a ticket, when a message is appended, then MessageAppended', () => {
    spec
      .given([created, firstMessage])
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
