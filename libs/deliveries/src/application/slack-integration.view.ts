import { openSecret } from '@ledgerdesk/shared';
import type { SlackIntegrationState } from '../domain/slack-integration.decider';

/** The integration as GET and PUT show it: the bot token masked, the signing secret only as a flag. */
export function toSlackIntegrationView(state: SlackIntegrationState) {
  // Stored sealed: opened only to show its ends.
  const token = openSecret(state.bot_token) ?? '';
  return {
    bot_token: token.length > 8 ? `${token.slice(0, 5)}…${token.slice(-4)}` : '…',
    default_channel_id: state.default_channel_id,
    signing_secret_set: Boolean(state.signing_secret),
    updated_at: state.updated_at,
  };
}

export type SlackIntegrationView = ReturnType<typeof toSlackIntegrationView>;
