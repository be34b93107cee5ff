import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { ticketDecider, type TicketCommand } from './ticket.decider';
import type { TicketEvent, TicketStatus } from './ticket.events';

/** API.md sections 4 (reopen), 8 (channel tickets, outgoing messages) and 9 (edits). */
const spec = deciderSpecification(ticketDecider);

const createChannel: Extract<TicketCommand, { type: 'CreateTicket' }> = {
  type: 'CreateTicket',
  ticketId: 't-1',
  workspaceId: 'w-1',
  ticketNumber: 1001,
  subject: 'Conversation',
  description: '',
  priority: 'medium',
  source: 'channel',
  inboxId: 'i-1',
  customer: { id: 'c-1', name: 'Jane', email: null, company: null },
  assigneeId: null,
  tags: [],
  ticketTokenHash: null,
  sourceId: 'lds_session',
  messageId: 'm-1',
  authorType: 'customer',
  authorId: 'c-1',
  externalId: null,
};

const createdData: Extract<TicketEvent, { type: 'TicketCreated' }>['data'] = {
  ticket_id: 't-1',
  workspace_id: 'w-1',
  ticket_number: 1001,
  subject: 'Hello',
  description: 'Hello',
  status: 'new',
  priority: 'medium',
  source: 'channel',
  inbox_id: 'i-1',
  customer: { id: 'c-1', name: 'Jane', email: null, company: null },
  assignee_id: null,
  tags: [],
  custom_fields: {},
  ticket_token_hash: null,
  source_id: 'lds_session',
  first_message_id: 'm-1',
};
const created: TicketEvent = { type: 'TicketCreated', data: createdData };
const firstMessage: TicketEvent = {
  type: 'MessageAppended',
  data: {
    ticket_id: 't-1',
    message_id: 'm-1',
    author_type: 'customer',
    author_id: 'c-1',
    body: 'Hello',
    internal: false,
    external_id: null,
    echo_id: 'e-1',
    opens_ticket: true,
  },
};
/** A channel ticket and its first message, as CreateTicket writes them. */
const opened: TicketEvent[] = [created, firstMessage];

const statusTo = (status: TicketStatus, previous: TicketStatus = 'new'): TicketEvent => ({
  type: 'TicketStatusChanged',
  data: { ticket_id: 't-1', status, previous_status: previous },
});

const message = (overrides: Partial<Extract<TicketCommand, { type: 'AppendMessage' }>> = {}): TicketCommand => ({
  type: 'AppendMessage',
  workspaceId: 'w-1',
  messageId: 'm-2',
  authorType: 'customer',
  authorId: null,
  body: 'Any news?',
  internal: false,
  externalId: null,
  ...overrides,
});

const appended = (overrides: Record<string, unknown> = {}): TicketEvent =>
  ({
    type: 'MessageAppended',
    data: {
      ticket_id: 't-1',
      message_id: 'm-2',
      author_type: 'customer',
      author_id: 'c-1',
      body: 'Any news?',
      internal: false,
      external_id: null,
      ...overrides,
    },
  }) as TicketEvent;

const agentReply: TicketEvent = appended({ message_id: 'm-3', author_type: 'agent', author_id: 'u-1', body: 'We are on it', sender_name: 'Ann' });
const note: TicketEvent = appended({ message_id: 'm-4', author_type: 'agent', author_id: 'u-1', body: 'VIP', internal: true });

const edit = (overrides: Partial<Extract<TicketCommand, { type: 'EditMessage' }>> = {}): TicketCommand => ({
  type: 'EditMessage',
  workspaceId: 'w-1',
  messageId: 'm-1',
  body: 'Hello again',
  editorCustomerId: 'c-1',
  ...overrides,
});

describe('ticket decider: channel tickets', () => {
  it('given no ticket, when a channel ticket is created without a description, then it has its session and no first message', () => {
    spec
      .given([])
      .when(createChannel)
      .then([{ type: 'TicketCreated', data: { ...createdData, subject: 'Conversation', description: '', first_message_id: null } }]);
  });

  it('given no ticket, when created with a description and an echo id, then the first message carries the echo id', () => {
    spec
      .given([])
      .when({ ...createChannel, subject: 'Hello', description: 'Hello', echoId: 'e-1' })
      .then(opened);
  });

  it('given a ticket created without a message, when the first message comes, then it is the only public message so far', () => {
    const empty = { ...created, data: { ...createdData, first_message_id: null } } as TicketEvent;
    const state = [empty].reduce(ticketDecider.evolve, ticketDecider.initialState);
    expect(state.messageCount).toBe(0);
    spec.given([empty]).when(message()).then([appended()]);
  });
});

describe('ticket decider: outgoing messages and sessions', () => {
  it('given a ticket, when an outgoing message is written without author, then the sender name is recorded with it', () => {
    spec
      .given(opened)
      .when(message({ authorType: 'agent', authorId: null, senderName: 'Acme Support', body: 'Hi Jane' }))
      .then([appended({ author_type: 'agent', author_id: null, body: 'Hi Jane', sender_name: 'Acme Support' })]);
  });

  it('given a ticket, when its session customer writes with an echo id, then the customer is the author', () => {
    spec
      .given(opened)
      .when(message({ sessionCustomerId: 'c-1', echoId: 'e-2' }))
      .then([appended({ echo_id: 'e-2' })]);
  });

  it("given a ticket, when another customer's session writes, then it is not found", () => {
    spec
      .given(opened)
      .when(message({ sessionCustomerId: 'c-2' }))
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});

describe('ticket decider: a customer message reopens a pending or solved ticket', () => {
  for (const status of ['pending', 'solved'] as const) {
    it(`given a ${status} ticket, when the customer writes, then the message and TicketReopened`, () => {
      spec
        .given([...opened, statusTo(status)])
        .when(message())
        .then([appended(), { type: 'TicketReopened', data: { ticket_id: 't-1', status: 'open', previous_status: status } }]);
    });
  }

  it('given a reopened ticket, then its status is open', () => {
    const reopened: TicketEvent = { type: 'TicketReopened', data: { ticket_id: 't-1', status: 'open', previous_status: 'solved' } };
    expect([...opened, statusTo('solved'), appended(), reopened].reduce(ticketDecider.evolve, ticketDecider.initialState).status).toBe('open');
  });

  for (const status of ['new', 'open', 'on_hold'] as const) {
    it(`given a ${status} ticket, when the customer writes, then only the message`, () => {
      const history = status === 'new' ? opened : [...opened, statusTo(status)];
      spec.given(history).when(message()).then([appended()]);
    });
  }

  it('given a solved ticket, when an agent replies, then the status stays', () => {
    spec
      .given([...opened, statusTo('solved')])
      .when(message({ authorType: 'agent', authorId: 'u-1', body: 'Glad it works' }))
      .then([appended({ author_type: 'agent', author_id: 'u-1', body: 'Glad it works' })]);
  });

  it('given a pending ticket, when an agent writes an internal note, then the status stays', () => {
    spec
      .given([...opened, statusTo('pending')])
      .when(message({ authorType: 'agent', authorId: 'u-1', body: 'VIP', internal: true }))
      .then([appended({ author_type: 'agent', author_id: 'u-1', body: 'VIP', internal: true })]);
  });
});

describe('ticket decider: a contact edits its own messages', () => {
  it('given its message, when the contact edits it, then MessageEdited with the previous body', () => {
    spec
      .given(opened)
      .when(edit())
      .then([{ type: 'MessageEdited', data: { ticket_id: 't-1', message_id: 'm-1', body: 'Hello again', previous_body: 'Hello' } }]);
  });

  it('given an edited message, when edited again, then the previous body is the last edit', () => {
    const edited: TicketEvent = { type: 'MessageEdited', data: { ticket_id: 't-1', message_id: 'm-1', body: 'Hello again', previous_body: 'Hello' } };
    spec
      .given([...opened, edited])
      .when(edit({ body: 'Hello, third try' }))
      .then([{ type: 'MessageEdited', data: { ticket_id: 't-1', message_id: 'm-1', body: 'Hello, third try', previous_body: 'Hello again' } }]);
  });

  it('given its message, when the body is the same, then nothing happens', () => {
    spec
      .given(opened)
      .when(edit({ body: 'Hello' }))
      .thenNothingHappens();
  });

  it("given an agent's reply, when the contact edits it, then it is forbidden (visible, not theirs)", () => {
    spec
      .given([...opened, agentReply])
      .when(edit({ messageId: 'm-3' }))
      .thenThrows<DomainError>((e) => e.code === 'FORBIDDEN');
  });

  it('given a message of another customer on the ticket, when the contact edits it, then it is forbidden', () => {
    spec
      .given([...opened, appended({ author_id: 'c-9' })])
      .when(edit({ messageId: 'm-2' }))
      .thenThrows<DomainError>((e) => e.code === 'FORBIDDEN');
  });

  it('given an internal note, when the contact edits it, then it is not found (a note is never visible)', () => {
    spec
      .given([...opened, note])
      .when(edit({ messageId: 'm-4' }))
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it('given an unknown message, when edited, then not found', () => {
    spec
      .given(opened)
      .when(edit({ messageId: 'm-404' }))
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it("given another customer's ticket, when the contact edits a message, then not found", () => {
    spec
      .given(opened)
      .when(edit({ editorCustomerId: 'c-2' }))
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it("given another workspace's ticket, when edited, then not found", () => {
    spec
      .given(opened)
      .when(edit({ workspaceId: 'w-2' }))
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});
