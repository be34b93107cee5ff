import type { CommandContext } from '@ledgerdesk/shared';
import type { InboxSettings } from '../../domain/inbox.events';

export class CreateInboxCommand {
  constructor(
    readonly workspaceId: string,
    readonly settings: InboxSettings,
    readonly context: CommandContext,
  ) {}
}
