import type { MultiStreamDecider } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, invalidReference, isVisibleTo } from '@ledgerdesk/shared';
import { ticketDecider, type TicketState } from './ticket.decider';
import type { TicketEvent } from './ticket.events';

export interface MergeTicketsCommand {
  type: 'MergeTickets';
  workspaceId: string;
  ticketId: string;
  intoTicketId: string;
  /** Id of the system message the target gets. */
  noteMessageId: string;
}

/**
 * A merge reads and writes both tickets, so it is decided on both and appended to both at once
 * (states: [source, target]): the source gets TicketMerged, the target a system message naming
 * it. Two merges that share a ticket can then never both commit on what they saw, so merges
 * never form a cycle (A into B racing B into A: one of them finds its target merged).
 */
function decide(command: MergeTicketsCommand, [source, target]: TicketState[]): TicketEvent[][] {
  if (command.ticketId === command.intoTicketId) {
    throw new DomainError('VALIDATION', 'A ticket cannot be merged into itself', { into_ticket_id: ['must name another ticket'] });
  }
  if (!isVisibleTo(target, command.workspaceId)) throw invalidReference('into_ticket_id', 'ticket');
  assertVisibleTo(source, command.workspaceId, 'Ticket');
  if (source.mergedIntoId) {
    throw new DomainError('CONFLICT', `Ticket was already merged into ${source.mergedIntoId}`, { merged_into_id: source.mergedIntoId });
  }
  if (target.mergedIntoId) {
    throw new DomainError('CONFLICT', `Target ticket was merged into ${target.mergedIntoId}`, {
      into_ticket_id: ['is itself merged'],
      merged_into_id: target.mergedIntoId,
    });
  }
  const merged = ticketDecider.decide({ type: 'MergeTicket', workspaceId: command.workspaceId, intoTicketId: command.intoTicketId }, source);
  const note = ticketDecider.decide(
    {
      type: 'AppendMessage',
      workspaceId: command.workspaceId,
      messageId: command.noteMessageId,
      authorType: 'system',
      authorId: null,
      body: `Ticket #${source.ticketNumber} (${source.id}) was merged into this ticket`,
      internal: false,
      externalId: null,
    },
    target,
  );
  return [merged, note];
}

export const ticketMergeDecider: MultiStreamDecider<MergeTicketsCommand, TicketEvent, TicketState> = {
  decide,
  evolve: ticketDecider.evolve,
  initialState: ticketDecider.initialState,
};
