import type { CommandContext } from '@ledgerdesk/shared';

export class RevokeInboxKeyCommand {
  constructor(
    readonly workspaceId: string,
    readonly inboxId: string,
    readonly keyId: string,
    readonly context: CommandContext,
  ) {}
}
