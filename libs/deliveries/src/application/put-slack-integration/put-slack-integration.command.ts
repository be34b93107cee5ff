import type { CommandContext } from '@ledgerdesk/shared';

export interface SlackIntegrationSettings {
  botToken: string;
  defaultChannelId: string;
  signingSecret: string | null;
}

/** PUT: replaces the workspace's whole Slack configuration. */
export class PutSlackIntegrationCommand {
  constructor(
    readonly workspaceId: string,
    readonly settings: SlackIntegrationSettings,
    readonly context: CommandContext,
  ) {}
}
