import type { Decider } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, notFound } from '@ledgerdesk/shared';
import type { InboxChanges, InboxEvent, InboxSettings } from './inbox.events';

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
    }
  | { type: 'UpdateInbox'; workspaceId: string; changes: InboxChanges; callbackSecret: string | null }
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
}

export const initialInboxState: InboxState = {
  exists: false,
  id: null,
  workspaceId: null,
  settings: { name: '', enabled: true, slack_channel_id: null, callback_url: null },
  activeKeyIds: [],
  hasCallbackSecret: false,
};

function decide(command: InboxCommand, state: InboxState): InboxEvent[] {
  if (command.type === 'CreateInbox') {
    if (state.exists) throw new DomainError('CONFLICT', 'Inbox already exists');
    const ids = { inbox_id: command.inboxId, workspace_id: command.workspaceId };
    const events: InboxEvent[] = [
      { type: 'InboxCreated', data: { ...ids, ...command.settings } },
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
      const changes: InboxChanges = {};
      for (const field of ['name', 'enabled', 'slack_channel_id', 'callback_url'] as const) {
        const value = command.changes[field];
        if (value !== undefined && value !== state.settings[field]) (changes as Record<string, unknown>)[field] = value;
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
      };
    }
    case 'InboxUpdated':
      return { ...state, settings: { ...state.settings, ...event.data.changes } };
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
