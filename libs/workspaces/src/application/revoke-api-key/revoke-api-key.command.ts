import type { CommandContext } from '@ledgerdesk/shared';

export class RevokeApiKeyCommand {
  constructor(
    readonly workspaceId: string,
    readonly keyId: string,
    readonly context: CommandContext,
  ) {}
}
