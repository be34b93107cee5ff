import type { Decider, DomainEvent, RunOptions } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import type { TicketPriority, TicketSource } from '../../domain/ticket.events';

/** The part of a contact session (libs/channel) that a ticket created on it records. */
export interface ContactSessionRef {
  source_id: string;
  workspace_id: string;
  customer_id: string;
  inbox_id: string;
}

export interface CreateTicketInput {
  /** Default (a channel ticket): the first 80 characters of the description, else `Conversation`. */
  subject?: string;
  /** The first message; a channel ticket may start without one. */
  description?: string;
  /** The customer, by email; or, with `sourceId`, the contact session's customer. */
  customerEmail?: string;
  customerName: string | null;
  priority: TicketPriority;
  tags: string[];
  inboxId: string | null;
  assigneeId: string | null;
  source: TicketSource;
  /** SHA-256 of the intake ticket token (intake only). */
  ticketTokenHash: string | null;
  externalId: string | null;
  /**
   * A contact session (API.md section 8, call 2), as the caller found it by its `source_id`
   * (null when it names none): the ticket gets its customer and inbox and `source: "channel"`.
   * Unknown, or another workspace's: 400 naming `source_id`.
   */
  session?: ContactSessionRef | null;
  /** The first message's client id (client API). */
  echoId?: string | null;
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
