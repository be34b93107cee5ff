import type { Decider } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, notFound } from '@ledgerdesk/shared';
import type { InboxChanges, InboxChannelSettings, InboxEvent, InboxSettings } from './inbox.events';
import { MAX_ALLOWED_ORIGINS } from './inbox.events';
import { normalizeOrigin } from './origin';

/** The key itself never reaches the domain: only its id, hash and display prefix. */
export interface IssuedInboxKey {
  keyId: string;
  keyHash: string;
  keyPrefix: string;
}

export type InboxCommand =
  | {
      type: 'CreateInbox';
      inboxId: string;
      workspaceId: string;
      settings: InboxSettings;
      firstKey: IssuedInboxKey;
      /** Required when settings.callback_url is set. */
      callbackSecret: string | null;
      /** The client API's part (API.md section 8); the HMAC token arrives sealed. */
      channel?: InboxChannelSettings & { publicIdentifier: string; hmacToken: string };
    }
  | { type: 'UpdateInbox'; workspaceId: string; changes: InboxChanges; callbackSecret: string | null }
  /** The new token arrives sealed; the old one stops verifying with this event. */
  | { type: 'RotateInboxHmacToken'; workspaceId: string; hmacToken: string }
  /** Rotation: the new key and the revocation of every older active key, in one decision. */
  | { type: 'RotateInboxApiKey'; workspaceId: string; key: IssuedInboxKey }
  | { type: 'RevokeInboxApiKey'; workspaceId: string; keyId: string };

export interface InboxState {
  exists: boolean;
  id: string | null;
  workspaceId: string | null;
  settings: InboxSettings;
  /** Oldest first. */
  activeKeyIds: readonly string[];
  hasCallbackSecret: boolean;
  channel: InboxChannelSettings;
  publicIdentifier: string | null;
  /** Sealed. */
  hmacToken: string | null;
}

export const initialInboxState: InboxState = {
  exists: false,
  id: null,
  workspaceId: null,
  settings: { name: '', enabled: true, slack_channel_id: null, callback_url: null },
  activeKeyIds: [],
  hasCallbackSecret: false,
  channel: { hmac_mandatory: false, allowed_origins: [] },
  publicIdentifier: null,
  hmacToken: null,
};

const CHANGEABLE_FIELDS = ['name', 'enabled', 'slack_channel_id', 'callback_url', 'hmac_mandatory', 'allowed_origins'] as const;

/** Every origin well formed, at most MAX_ALLOWED_ORIGINS of them (the API validates first; this is the rule). */
function assertAllowedOrigins(origins: readonly string[] | undefined): void {
  if (origins === undefined) return;
  const invalid = origins.filter((origin) => normalizeOrigin(origin) !== origin);
  if (origins.length > MAX_ALLOWED_ORIGINS || invalid.length > 0) {
    throw new DomainError('VALIDATION', 'allowed_origins must hold at most 20 origins (scheme://host[:port])', {
      allowed_origins: [`at most ${MAX_ALLOWED_ORIGINS} origins of the form scheme://host[:port]`],
    });
  }
}

const sameValue = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((v, i) => v === b[i]) : a === b);

function decide(command: InboxCommand, state: InboxState): InboxEvent[] {
  if (command.type === 'CreateInbox') {
    if (state.exists) throw new DomainError('CONFLICT', 'Inbox already exists');
    const ids = { inbox_id: command.inboxId, workspace_id: command.workspaceId };
    const channel = command.channel;
    assertAllowedOrigins(channel?.allowed_origins);
    const channelData = channel && {
      public_identifier: channel.publicIdentifier,
      hmac_token: channel.hmacToken,
      hmac_mandatory: channel.hmac_mandatory,
      allowed_origins: [...new Set(channel.allowed_origins)],
    };
    const events: InboxEvent[] = [
      { type: 'InboxCreated', data: { ...ids, ...command.settings, ...channelData } },
      { type: 'InboxApiKeyIssued', data: { ...ids, ...keyData(command.firstKey) } },
    ];
    if (command.settings.callback_url) {
      if (!command.callbackSecret) throw new Error('CreateInbox with a callback_url needs a callback secret');
      events.push({ type: 'InboxCallbackSecretIssued', data: { ...ids, secret: command.callbackSecret } });
    }
    return events;
  }
  assertVisibleTo(state, command.workspaceId, 'Inbox');
  if (!state.id || !state.workspaceId) throw notFound('Inbox');
  const ids = { inbox_id: state.id, workspace_id: state.workspaceId };
  switch (command.type) {
    case 'UpdateInbox': {
      assertAllowedOrigins(command.changes.allowed_origins);
      const requested: InboxChanges = { ...command.changes };
      if (requested.allowed_origins) requested.allowed_origins = [...new Set(requested.allowed_origins)];
      const current: Record<string, unknown> = { ...state.settings, ...state.channel };
      const changes: InboxChanges = {};
      for (const field of CHANGEABLE_FIELDS) {
        const value = requested[field];
        if (value !== undefined && !sameValue(value, current[field])) (changes as Record<string, unknown>)[field] = value;
      }
      if (Object.keys(changes).length === 0) return [];
      const events: InboxEvent[] = [{ type: 'InboxUpdated', data: { ...ids, changes } }];
      // The first callback URL brings the inbox its signing secret; later URL changes keep it.
      if (changes.callback_url && !state.hasCallbackSecret) {
        if (!command.callbackSecret) throw new Error('UpdateInbox setting a first callback_url needs a callback secret');
        events.push({ type: 'InboxCallbackSecretIssued', data: { ...ids, secret: command.callbackSecret } });
      }
      return events;
    }
    case 'RotateInboxApiKey':
      return [
        { type: 'InboxApiKeyIssued', data: { ...ids, ...keyData(command.key) } },
        ...state.activeKeyIds.map((key_id): InboxEvent => ({ type: 'InboxApiKeyRevoked', data: { ...ids, key_id } })),
      ];
    case 'RevokeInboxApiKey':
      if (!state.activeKeyIds.includes(command.keyId)) throw notFound('API key');
      return [{ type: 'InboxApiKeyRevoked', data: { ...ids, key_id: command.keyId } }];
    case 'RotateInboxHmacToken':
      return [{ type: 'InboxHmacTokenRotated', data: { ...ids, hmac_token: command.hmacToken } }];
  }
}

function evolve(state: InboxState, event: InboxEvent): InboxState {
  switch (event.type) {
    case 'InboxCreated': {
      const { inbox_id, workspace_id, name, enabled, slack_channel_id, callback_url } = event.data;
      return {
        ...state,
        exists: true,
        id: inbox_id,
        workspaceId: workspace_id,
        settings: { name, enabled, slack_channel_id, callback_url },
        channel: { hmac_mandatory: event.data.hmac_mandatory ?? false, allowed_origins: event.data.allowed_origins ?? [] },
        publicIdentifier: event.data.public_identifier ?? null,
        hmacToken: event.data.hmac_token ?? null,
      };
    }
    case 'InboxUpdated': {
      const { hmac_mandatory, allowed_origins, ...settings } = event.data.changes;
      return {
        ...state,
        settings: { ...state.settings, ...settings },
        channel: {
          hmac_mandatory: hmac_mandatory ?? state.channel.hmac_mandatory,
          allowed_origins: allowed_origins ?? state.channel.allowed_origins,
        },
      };
    }
    case 'InboxHmacTokenRotated':
      return { ...state, hmacToken: event.data.hmac_token };
    case 'InboxApiKeyIssued':
      return { ...state, activeKeyIds: [...state.activeKeyIds, event.data.key_id] };
    case 'InboxApiKeyRevoked':
      return { ...state, activeKeyIds: state.activeKeyIds.filter((id) => id !== event.data.key_id) };
    case 'InboxCallbackSecretIssued':
      return { ...state, hasCallbackSecret: true };
  }
}

const keyData = (key: IssuedInboxKey) => ({ key_id: key.keyId, key_hash: key.keyHash, key_prefix: key.keyPrefix });

export const inboxDecider: Decider<InboxCommand, InboxEvent, InboxState> = {
  decide,
  evolve,
  initialState: initialInboxState,
};
