/** Slack integration of one workspace: stream `slack-integration-<workspace id>`. */
export const slackIntegrationStreamId = (workspaceId: string) => `slack-integration-${workspaceId}`;
export const SLACK_INTEGRATION_STREAM_PREFIX = 'slack-integration-';

export type SlackIntegrationEvent =
  | { type: 'SlackIntegrationConfigured'; data: { bot_token: string; default_channel_id: string; signing_secret: string | null; at: string } }
  | { type: 'SlackIntegrationRemoved'; data: { at: string } };
