import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError } from '@ledgerdesk/shared';

/**
 * An intake ticket token: a random secret handed to the integrator on create. Only its SHA-256
 * is stored, as the id of its own stream, so "which ticket is this token for?" is one stream
 * read on the write side, consistent the moment the create returns (no projection lag).
 */
export type TicketTokenEvent = {
  type: 'TicketTokenIssued';
  data: { token_hash: string; ticket_id: string; inbox_id: string; workspace_id: string };
};

export type TicketTokenCommand = { type: 'IssueTicketToken'; tokenHash: string; ticketId: string; inboxId: string; workspaceId: string };

export interface TicketTokenState {
  ticketId: string | null;
  inboxId: string | null;
  workspaceId: string | null;
}

export const ticketTokenDecider: Decider<TicketTokenCommand, TicketTokenEvent, TicketTokenState> = {
  initialState: { ticketId: null, inboxId: null, workspaceId: null },
  decide(command, state) {
    if (state.ticketId) throw new DomainError('CONFLICT', 'Ticket token already issued');
    return [
      {
        type: 'TicketTokenIssued',
        data: {
          token_hash: command.tokenHash,
          ticket_id: command.ticketId,
          inbox_id: command.inboxId,
          workspace_id: command.workspaceId,
        },
      },
    ];
  },
  evolve(state, event) {
    return { ticketId: event.data.ticket_id, inboxId: event.data.inbox_id, workspaceId: event.data.workspace_id };
  },
};

export const TICKET_TOKEN_PREFIX = 'ldt_';
/** Not under `ticket-`: that prefix is the ticket streams'. */
export const ticketTokenStreamId = (tokenHash: string) => `intake-token-${tokenHash}`;
