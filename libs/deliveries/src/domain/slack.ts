import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError } from '@ledgerdesk/shared';

/** Slack integration of one workspace: stream `slack-integration-<workspace id>`. */
export const slackIntegrationStreamId = (workspaceId: string) => `slack-integration-${workspaceId}`;
export const SLACK_INTEGRATION_STREAM_PREFIX = 'slack-integration-';

export interface SlackIntegrationState {
  configured: boolean;
  bot_token: string | null;
  default_channel_id: string | null;
  signing_secret: string | null;
  updated_at: string | null;
}

export type SlackIntegrationEvent =
  | { type: 'SlackIntegrationConfigured'; data: { bot_token: string; default_channel_id: string; signing_secret: string | null; at: string } }
  | { type: 'SlackIntegrationRemoved'; data: { at: string } };

export type SlackIntegrationCommand =
  { type: 'configure'; botToken: string; defaultChannelId: string; signingSecret: string | null; at: string } | { type: 'remove'; at: string };

export const slackIntegrationDecider: Decider<SlackIntegrationCommand, SlackIntegrationEvent, SlackIntegrationState> = {
  initialState: { configured: false, bot_token: null, default_channel_id: null, signing_secret: null, updated_at: null },
  decide(command, state) {
    if (command.type === 'configure') {
      return [
        {
          type: 'SlackIntegrationConfigured',
          data: { bot_token: command.botToken, default_channel_id: command.defaultChannelId, signing_secret: command.signingSecret, at: command.at },
        },
      ];
    }
    if (!state.configured) throw new DomainError('NOT_FOUND', 'Slack integration not found');
    return [{ type: 'SlackIntegrationRemoved', data: { at: command.at } }];
  },
  evolve(state, event) {
    if (event.type === 'SlackIntegrationConfigured') {
      return { configured: true, ...event.data, updated_at: event.data.at } as SlackIntegrationState & { at?: string };
    }
    return { configured: false, bot_token: null, default_channel_id: null, signing_secret: null, updated_at: event.data.at };
  },
};

export function toSlackIntegrationView(state: SlackIntegrationState) {
  const token = state.bot_token ?? '';
  return {
    bot_token: token.length > 8 ? `${token.slice(0, 5)}…${token.slice(-4)}` : '…',
    default_channel_id: state.default_channel_id,
    signing_secret_set: Boolean(state.signing_secret),
    updated_at: state.updated_at,
  };
}

/** The root post of a ticket's thread: stream `slack-thread-<ticket id>`, apart from the ticket's. */
export const slackThreadStreamId = (ticketId: string) => `slack-thread-${ticketId}`;
export interface SlackThreadLinkedData {
  ticket_id: string;
  channel_id: string;
  ts: string;
  [key: string]: unknown;
}

export const SLACK_TEXT_LIMIT = 3000;
const CUT_MARKER = '\n… [truncated, full text in Ledgerdesk]';

/** No posted text exceeds 3,000 chars: longer texts are cut and marked. */
export function cutForSlack(text: string, limit = SLACK_TEXT_LIMIT): string {
  const chars = Array.from(text);
  if (chars.length <= limit) return text;
  return chars.slice(0, limit - Array.from(CUT_MARKER).length).join('') + CUT_MARKER;
}

/** Slack errors that retrying cannot fix. */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'invalid_auth',
  'account_inactive',
  'is_archived',
  'token_revoked',
  'not_authed',
  'msg_too_long',
  'no_text',
]);

/** Links a ticket to its Slack thread once; a second link (a re-run after a crash) is a no-op. */
export const slackThreadDecider: Decider<SlackThreadLinkedData, { type: 'SlackThreadLinked'; data: SlackThreadLinkedData }, SlackThreadLinkedData | null> = {
  initialState: null,
  decide: (command, state) => (state ? [] : [{ type: 'SlackThreadLinked', data: command }]),
  evolve: (state, event) => state ?? event.data,
};
