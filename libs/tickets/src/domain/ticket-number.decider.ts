import type { Decider } from '@ledgerdesk/event-sourcing';

/**
 * A workspace's ticket numbers: one stream per workspace, one event per number, so numbers
 * are unique and increasing from 1001. A number is reserved in the same atomic append as its
 * ticket, so none is left unused.
 */
export const FIRST_TICKET_NUMBER = 1001;

export type TicketNumberEvent = { type: 'TicketNumberReserved'; data: { ticket_number: number; ticket_id: string } };
export type TicketNumberCommand = { type: 'ReserveTicketNumber'; ticketId: string };
export interface TicketNumberState {
  lastNumber: number;
}

export const ticketNumberStreamId = (workspaceId: string) => `ticket-numbers-${workspaceId}`;

export const ticketNumberDecider: Decider<TicketNumberCommand, TicketNumberEvent, TicketNumberState> = {
  decide: (command, state) => [{ type: 'TicketNumberReserved', data: { ticket_number: state.lastNumber + 1, ticket_id: command.ticketId } }],
  evolve: (_state, event) => ({ lastNumber: event.data.ticket_number }),
  initialState: { lastNumber: FIRST_TICKET_NUMBER - 1 },
};
