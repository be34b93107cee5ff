import type { CommandContext } from '@ledgerdesk/shared';

export class RotateInboxHmacTokenCommand {
  constructor(
    readonly workspaceId: string,
    readonly inboxId: string,
    readonly context: CommandContext,
  ) {}
}
