import type { CommandContext } from '@ledgerdesk/shared';

export class CreateWorkspaceCommand {
  constructor(
    readonly name: string,
    readonly context: CommandContext,
  ) {}
}
