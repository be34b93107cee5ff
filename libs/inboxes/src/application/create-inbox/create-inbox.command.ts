import type { CommandContext } from '@ledgerdesk/shared';
import type { InboxChannelSettings, InboxSettings } from '../../domain/inbox.events';

export class CreateInboxCommand {
  constructor(
    readonly workspaceId: string,
    readonly settings: InboxSettings,
    readonly context: CommandContext,
    readonly channel: InboxChannelSettings = { hmac_mandatory: false, allowed_origins: [] },
  ) {}
}
