import type { Decider, DomainEvent, RunOptions } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import type { TicketPriority, TicketSource } from '../../domain/ticket.events';

export interface CreateTicketInput {
  subject: string;
  description: string;
  customerEmail: string;
  customerName: string | null;
  priority: TicketPriority;
  tags: string[];
  inboxId: string | null;
  assigneeId: string | null;
  source: TicketSource;
  /** SHA-256 of the intake ticket token (intake only). */
  ticketTokenHash: string | null;
  externalId: string | null;
}

/**
 * A command on another stream that belongs with the new ticket (intake's ticket token): it is
 * appended in the same group commit as the ticket, so the caller waits for one commit, not two.
 */
export interface CompanionCommand {
  streamId: string;
  decider: Decider<any, DomainEvent, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any command and state of the stream's own decider
  command: unknown;
  options?: RunOptions;
}

export interface CreateTicketOptions {
  /** The new ticket's id, when the caller needs it up front (default: a random UUID). */
  ticketId?: string;
  companion?: CompanionCommand;
}

export class CreateTicketCommand {
  constructor(
    readonly workspaceId: string,
    readonly input: CreateTicketInput,
    readonly context: CommandContext,
    readonly options: CreateTicketOptions = {},
  ) {}
}
