import type { CommandContext } from '@ledgerdesk/shared';

export class DeleteTicketCommand {
  constructor(
    readonly workspaceId: string,
    readonly ticketId: string,
    readonly expectedVersion: number | undefined,
    readonly context: CommandContext,
  ) {}
}

/** What DELETE answers (no body): the position and the revision after the write. */
export interface DeleteTicketResult {
  ticketId: string;
  /** Log position of the last event written (null: nothing changed). */
  position: number | null;
  /** Stream revision after the write. */
  version: number;
}
