/** Slack integration of one workspace: stream `slack-integration-<workspace id>`. */
export const slackIntegrationStreamId = (workspaceId: string) => `slack-integration-${workspaceId}`;
export const SLACK_INTEGRATION_STREAM_PREFIX = 'slack-integration-';

export type SlackIntegrationEvent =
  /**
   * `bot_token` and `signing_secret` are sealed (`enc:v1:...`, SecretBox) before the append and
   * opened only to post (or to show the token masked). Events of older versions hold them in clear.
   */
  | { type: 'SlackIntegrationConfigured'; data: { bot_token: string; default_channel_id: string; signing_secret: string | null; at: string } }
  | { type: 'SlackIntegrationRemoved'; data: { at: string } };
