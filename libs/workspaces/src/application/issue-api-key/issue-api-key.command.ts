import type { CommandContext } from '@ledgerdesk/shared';

export class IssueApiKeyCommand {
  constructor(
    readonly workspaceId: string,
    readonly context: CommandContext,
  ) {}
}
