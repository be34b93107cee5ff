import type { CommandContext } from '@ledgerdesk/shared';

export class MergeTicketCommand {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly intoTicketId: string,
    readonly context: CommandContext,
  ) {}
}
