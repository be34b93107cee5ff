import type { CommandContext } from '@ledgerdesk/shared';

export class UpdateTagCommand {
  constructor(
    readonly workspaceId: string,
    readonly tagId: string,
    readonly changes: { name?: string; color?: string },
    readonly context: CommandContext,
  ) {}
}
