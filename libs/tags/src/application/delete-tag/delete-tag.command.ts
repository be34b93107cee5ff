import type { CommandContext } from '@ledgerdesk/shared';

export class DeleteTagCommand {
  constructor(
    readonly workspaceId: string,
    readonly tagId: string,
    readonly context: CommandContext,
  ) {}
}
