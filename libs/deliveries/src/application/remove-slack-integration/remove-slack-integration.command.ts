import type { CommandContext } from '@ledgerdesk/shared';

export class RemoveSlackIntegrationCommand {
  constructor(
    readonly workspaceId: string,
    readonly context: CommandContext,
  ) {}
}
