import type { CommandContext } from '@ledgerdesk/shared';

export class CreateTagCommand {
  constructor(
    readonly workspaceId: string,
    readonly tag: { name: string; color?: string },
    readonly context: CommandContext,
  ) {}
}
