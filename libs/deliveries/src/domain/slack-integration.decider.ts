import type { Decider } from '@ledgerdesk/event-sourcing';
import { notFound } from '@ledgerdesk/shared';
import type { SlackIntegrationEvent } from './slack-integration.events';

export interface SlackIntegrationState {
  configured: boolean;
  bot_token: string | null;
  default_channel_id: string | null;
  signing_secret: string | null;
  updated_at: string | null;
}

/** The commands name the workspace whose stream (its one integration) they run on. */
export type SlackIntegrationCommand =
  | { type: 'configure'; workspaceId: string; botToken: string; defaultChannelId: string; signingSecret: string | null; at: string }
  | { type: 'remove'; workspaceId: string; at: string };

/** The workspace's integration; NOT_FOUND when none is configured. */
export function configuredIntegration(state: SlackIntegrationState): SlackIntegrationState {
  if (!state.configured) throw notFound('Slack integration');
  return state;
}

export const slackIntegrationDecider: Decider<SlackIntegrationCommand, SlackIntegrationEvent, SlackIntegrationState> = {
  initialState: { configured: false, bot_token: null, default_channel_id: null, signing_secret: null, updated_at: null },
  decide(command, state) {
    switch (command.type) {
      // PUT: configuring again replaces the whole configuration.
      case 'configure':
        return [
          {
            type: 'SlackIntegrationConfigured',
            data: { bot_token: command.botToken, default_channel_id: command.defaultChannelId, signing_secret: command.signingSecret, at: command.at },
          },
        ];
      case 'remove':
        configuredIntegration(state);
        return [{ type: 'SlackIntegrationRemoved', data: { at: command.at } }];
    }
  },
  evolve(_state, event) {
    switch (event.type) {
      case 'SlackIntegrationConfigured': {
        const { bot_token, default_channel_id, signing_secret, at } = event.data;
        return { configured: true, bot_token, default_channel_id, signing_secret, updated_at: at };
      }
      case 'SlackIntegrationRemoved':
        return { configured: false, bot_token: null, default_channel_id: null, signing_secret: null, updated_at: event.data.at };
    }
  },
};
