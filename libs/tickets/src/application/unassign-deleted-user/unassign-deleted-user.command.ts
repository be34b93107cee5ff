import type { CommandContext } from '@ledgerdesk/shared';

/** After a user's deletion: their tickets go back to the unassigned queue. */
export class UnassignDeletedUserCommand {
  constructor(
    readonly workspaceId: string,
    readonly userId: string,
    readonly context: CommandContext,
  ) {}
}
