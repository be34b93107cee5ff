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

export class CreateTicketCommand {
  constructor(
    readonly workspaceId: string,
    readonly input: CreateTicketInput,
    readonly context: CommandContext,
  ) {}
}
