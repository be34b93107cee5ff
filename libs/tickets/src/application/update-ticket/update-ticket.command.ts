import type { CommandContext } from '@ledgerdesk/shared';
import type { TicketPriority, TicketStatus } from '../../domain/ticket.events';

export interface UpdateTicketInput {
  status?: TicketStatus;
  priority?: TicketPriority;
  /** undefined: unchanged; null: unassign. */
  assigneeId?: string | null;
  tags?: string[];
  subject?: string;
  customFields?: Record<string, unknown>;
}

export class UpdateTicketCommand {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly input: UpdateTicketInput,
    /** From If-Match; undefined when the update is unconditional. */
    readonly expectedVersion: number | undefined,
    readonly context: CommandContext,
  ) {}
}
