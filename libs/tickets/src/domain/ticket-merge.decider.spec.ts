import { multiStreamDeciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { ticketMergeDecider, type MergeTicketsCommand } from './ticket-merge.decider';
import type { TicketEvent } from './ticket.events';

const spec = multiStreamDeciderSpecification(ticketMergeDecider);

const created = (id: string, workspaceId = 'w-1', ticketNumber = 1001): TicketEvent => ({
  type: 'TicketCreated',
  data: {
    ticket_id: id,
    workspace_id: workspaceId,
    ticket_number: ticketNumber,
    subject: 'S',
    description: 'D',
    status: 'new',
    priority: 'medium',
    source: 'api',
    inbox_id: null,
    customer: { id: 'c-1', name: null, email: 'a@b.co', company: null },
    assignee_id: null,
    tags: [],
    custom_fields: {},
    ticket_token_hash: null,
    message: { message_id: `m-${id}`, author_type: 'customer', author_id: 'c-1', body: 'D', internal: false, external_id: null },
  },
});
const mergedInto = (id: string, into: string): TicketEvent => ({
  type: 'TicketMerged',
  data: { ticket_id: id, into_ticket_id: into, status: 'closed', previous_status: 'new' },
});
const deleted = (id: string): TicketEvent => ({ type: 'TicketDeleted', data: { ticket_id: id, customer_id: 'c-1', tags: [] } });
const merge = (ticketId: string, intoTicketId: string, workspaceId = 'w-1'): MergeTicketsCommand => ({
  type: 'MergeTickets',
  workspaceId,
  ticketId,
  intoTicketId,
  noteMessageId: 'note-1',
});
const code = (expected: string) => (e: DomainError) => e.code === expected;

describe('ticket merge decider (source and target decided together)', () => {
  it('given two tickets, when A is merged into B, then A gets TicketMerged and B a system message naming A', () => {
    spec
      .given([[created('t-a', 'w-1', 1001)], [created('t-b', 'w-1', 1002)]])
      .when(merge('t-a', 't-b'))
      .then([
        [mergedInto('t-a', 't-b')],
        [
          {
            type: 'MessageAppended',
            data: {
              ticket_id: 't-b',
              message_id: 'note-1',
              author_type: 'system',
              author_id: null,
              body: 'Ticket #1001 (t-a) was merged into this ticket',
              internal: false,
              external_id: null,
            },
          },
        ],
      ]);
  });

  it('into itself is a 400, whatever the ticket', () => {
    spec
      .given([[created('t-a')], [created('t-a')]])
      .when(merge('t-a', 't-a'))
      .thenThrows(code('VALIDATION'));
    spec.given([[], []]).when(merge('t-x', 't-x')).thenThrows(code('VALIDATION'));
  });

  it('a target that is missing, deleted or of another workspace is a 400 naming into_ticket_id', () => {
    for (const target of [[], [created('t-b'), deleted('t-b')], [created('t-b', 'w-2')]]) {
      spec
        .given([[created('t-a')], target])
        .when(merge('t-a', 't-b'))
        .thenThrows<DomainError>((e) => e.code === 'VALIDATION' && 'into_ticket_id' in (e.details ?? {}));
    }
  });

  it('a source that is missing, deleted or of another workspace is NOT_FOUND', () => {
    for (const source of [[], [created('t-a'), deleted('t-a')], [created('t-a', 'w-2')]]) {
      spec
        .given([source, [created('t-b')]])
        .when(merge('t-a', 't-b'))
        .thenThrows(code('NOT_FOUND'));
    }
  });

  it('a merged source or a merged target is a 409: so two merges sharing a ticket never both apply (no cycle)', () => {
    spec
      .given([[created('t-a'), mergedInto('t-a', 't-c')], [created('t-b')]])
      .when(merge('t-a', 't-b'))
      .thenThrows(code('CONFLICT'));
    // B into A, after A into B: the target A is merged.
    spec
      .given([[created('t-b')], [created('t-a'), mergedInto('t-a', 't-b')]])
      .when(merge('t-b', 't-a'))
      .thenThrows(code('CONFLICT'));
  });
});
