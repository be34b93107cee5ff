import type { CommandContext } from '@ledgerdesk/shared';

export class DeleteUserCommand {
  constructor(
    readonly workspaceId: string,
    readonly userId: string,
    readonly context: CommandContext,
  ) {}
}
