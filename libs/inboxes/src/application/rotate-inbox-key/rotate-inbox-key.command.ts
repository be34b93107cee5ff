import type { CommandContext } from '@ledgerdesk/shared';

export class RotateInboxKeyCommand {
  constructor(
    readonly workspaceId: string,
    readonly inboxId: string,
    readonly context: CommandContext,
  ) {}
}
