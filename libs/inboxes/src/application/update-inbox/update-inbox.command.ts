import type { CommandContext } from '@ledgerdesk/shared';
import type { InboxChanges } from '../../domain/inbox.events';

export class UpdateInboxCommand {
  constructor(
    readonly workspaceId: string,
    readonly inboxId: string,
    readonly changes: InboxChanges,
    readonly context: CommandContext,
  ) {}
}
