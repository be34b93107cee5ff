import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { ticketDecider } from './ticket.decider';
import type { TicketEvent } from './ticket.events';

const spec = deciderSpecification(ticketDecider);
const created: TicketEvent = {
  type: 'TicketCreated',
  data: {
    ticket_id: 't-1',
    workspace_id: 'w-1',
    ticket_number: 1001,
    subject: 'S',
    description: 'D',
    status: 'new',
    priority: 'medium',
    source: 'api',
    inbox_id: null,
    customer: { id: 'c-1', name: null, email: 'a@b.co', company: null },
    assignee_id: null,
    tags: ['a'],
    custom_fields: {},
    ticket_token_hash: null,
    message: { message_id: 'm-1', author_type: 'customer', author_id: 'c-1', body: 'D', internal: false, external_id: null },
  },
};
const merged: TicketEvent = { type: 'TicketMerged', data: { ticket_id: 't-1', into_ticket_id: 't-2', status: 'closed', previous_status: 'new' } };
const deleted: TicketEvent = { type: 'TicketDeleted', data: { ticket_id: 't-1', customer_id: 'c-1', tags: ['a'] } };

describe('ticket decider: updates, delete, merge', () => {
  it('given a ticket, when several fields change, then one event per kind of change', () => {
    spec
      .given([created])
      .when({
        type: 'UpdateTicket',
        workspaceId: 'w-1',
        status: 'open',
        priority: 'high',
        assigneeId: 'u-1',
        tags: ['a', 'b'],
        subject: 'S2',
        customFields: { x: 1 },
      })
      .then([
        { type: 'TicketStatusChanged', data: { ticket_id: 't-1', status: 'open', previous_status: 'new' } },
        { type: 'TicketPriorityChanged', data: { ticket_id: 't-1', priority: 'high', previous_priority: 'medium' } },
        { type: 'TicketAssigned', data: { ticket_id: 't-1', assignee_id: 'u-1', previous_assignee_id: null } },
        { type: 'TicketTagsChanged', data: { ticket_id: 't-1', tags: ['a', 'b'], added: ['b'], removed: [] } },
        { type: 'TicketSubjectChanged', data: { ticket_id: 't-1', subject: 'S2', previous_subject: 'S' } },
        { type: 'TicketCustomFieldsChanged', data: { ticket_id: 't-1', custom_fields: { x: 1 }, changed: ['x'] } },
      ]);
  });

  it('given an assigned ticket, when assignee is null, then TicketUnassigned', () => {
    spec
      .given([created, { type: 'TicketAssigned', data: { ticket_id: 't-1', assignee_id: 'u-1', previous_assignee_id: null } }])
      .when({ type: 'UpdateTicket', workspaceId: 'w-1', assigneeId: null })
      .then([{ type: 'TicketUnassigned', data: { ticket_id: 't-1', previous_assignee_id: 'u-1' } }]);
  });

  it('given a ticket assigned to a deleted user, when that user is unassigned, then TicketUnassigned; assigned to another, nothing', () => {
    const assigned: TicketEvent = { type: 'TicketAssigned', data: { ticket_id: 't-1', assignee_id: 'u-1', previous_assignee_id: null } };
    spec
      .given([created, assigned])
      .when({ type: 'UnassignDeletedUser', userId: 'u-1' })
      .then([{ type: 'TicketUnassigned', data: { ticket_id: 't-1', previous_assignee_id: 'u-1' } }]);
    spec.given([created, assigned]).when({ type: 'UnassignDeletedUser', userId: 'u-2' }).thenNothingHappens();
    spec.given([created, assigned, deleted]).when({ type: 'UnassignDeletedUser', userId: 'u-1' }).thenNothingHappens();
  });

  it('given a ticket, when nothing changes, then nothing happens', () => {
    spec
      .given([created])
      .when({ type: 'UpdateTicket', workspaceId: 'w-1', status: 'new', tags: ['a'] })
      .thenNothingHappens();
  });

  it('given a ticket at revision 0, when updated with a stale version, then precondition failed', () => {
    spec
      .given([created])
      .when({ type: 'UpdateTicket', workspaceId: 'w-1', status: 'open', expectedVersion: 3 })
      .thenThrows<DomainError>((e) => e.code === 'PRECONDITION_FAILED');
    spec
      .given([created])
      .when({ type: 'UpdateTicket', workspaceId: 'w-1', status: 'open', expectedVersion: 0 })
      .then([{ type: 'TicketStatusChanged', data: { ticket_id: 't-1', status: 'open', previous_status: 'new' } }]);
  });

  it('given a deleted ticket, when updated, deleted or merged, then not found', () => {
    spec
      .given([created, deleted])
      .when({ type: 'UpdateTicket', workspaceId: 'w-1', status: 'open' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
    spec
      .given([created, deleted])
      .when({ type: 'DeleteTicket', workspaceId: 'w-1' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
    spec
      .given([created, deleted])
      .when({ type: 'MergeTicket', workspaceId: 'w-1', intoTicketId: 't-2' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it('given a ticket, when deleted, then TicketDeleted carries customer and tags', () => {
    spec.given([created]).when({ type: 'DeleteTicket', workspaceId: 'w-1' }).then([deleted]);
  });

  it('given a ticket, when merged, then TicketMerged; into itself is a 400', () => {
    spec.given([created]).when({ type: 'MergeTicket', workspaceId: 'w-1', intoTicketId: 't-2' }).then([merged]);
    spec
      .given([created])
      .when({ type: 'MergeTicket', workspaceId: 'w-1', intoTicketId: 't-1' })
      .thenThrows<DomainError>((e) => e.code === 'VALIDATION');
  });

  it('given a merged ticket, when a message is appended, updated or merged again, then conflict naming the target', () => {
    const append = {
      type: 'AppendMessage' as const,
      workspaceId: 'w-1',
      messageId: 'm-2',
      authorType: 'agent' as const,
      authorId: null,
      body: 'x',
      internal: false,
      externalId: null,
    };
    spec
      .given([created, merged])
      .when(append)
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT' && e.details.merged_into_id === 't-2');
    spec
      .given([created, merged])
      .when({ type: 'UpdateTicket', workspaceId: 'w-1', status: 'open' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
    spec
      .given([created, merged])
      .when({ type: 'MergeTicket', workspaceId: 'w-1', intoTicketId: 't-3' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });
});

describe('ticket decider: tenancy', () => {
  it("another workspace's ticket is NOT_FOUND for every write, like a missing one", () => {
    for (const command of [
      { type: 'UpdateTicket' as const, workspaceId: 'w-2', status: 'open' as const },
      { type: 'DeleteTicket' as const, workspaceId: 'w-2' },
      { type: 'MergeTicket' as const, workspaceId: 'w-2', intoTicketId: 't-2' },
      {
        type: 'AppendMessage' as const,
        workspaceId: 'w-2',
        messageId: 'm',
        authorType: 'agent' as const,
        authorId: null,
        body: 'x',
        internal: false,
        externalId: null,
      },
    ]) {
      spec
        .given([created])
        .when(command)
        .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
      spec
        .given([])
        .when(command)
        .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
    }
  });

  it("a customer message with no named author is from the ticket's own customer", () => {
    spec
      .given([created])
      .when({
        type: 'AppendMessage',
        workspaceId: 'w-1',
        messageId: 'm-9',
        authorType: 'customer',
        authorId: null,
        body: 'hi',
        internal: false,
        externalId: null,
      })
      .then([
        {
          type: 'MessageAppended',
          data: { ticket_id: 't-1', message_id: 'm-9', author_type: 'customer', author_id: 'c-1', body: 'hi', internal: false, external_id: null },
        },
      ]);
  });
});

describe('ticket decider: a deleted user', () => {
  const assigned: TicketEvent = { type: 'TicketAssigned', data: { ticket_id: 't-1', assignee_id: 'u-1', previous_assignee_id: null } };
  it('unassigns a ticket still assigned to them, and nothing on a deleted or merged ticket or one reassigned since', () => {
    spec
      .given([created, assigned])
      .when({ type: 'UnassignDeletedUser', userId: 'u-1' })
      .then([{ type: 'TicketUnassigned', data: { ticket_id: 't-1', previous_assignee_id: 'u-1' } }]);
    spec.given([created, assigned, deleted]).when({ type: 'UnassignDeletedUser', userId: 'u-1' }).thenNothingHappens();
    spec.given([created, assigned, merged]).when({ type: 'UnassignDeletedUser', userId: 'u-1' }).thenNothingHappens();
    spec.given([created, assigned]).when({ type: 'UnassignDeletedUser', userId: 'u-2' }).thenNothingHappens();
  });
});
