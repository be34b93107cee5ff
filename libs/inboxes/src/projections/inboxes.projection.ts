import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument } from '@ledgerdesk/read-store';
import type { InboxEvent } from '../domain/inbox.events';
import { INBOX_EVENT_TYPES } from '../domain/inbox.events';

export const INBOXES_COLLECTION = 'inboxes';
/**
 * Inbox keys, in the shape of the workspaces projection's `api_keys` documents (kind 'inbox'),
 * but in a collection this projection owns: a rebuild fills and switches the collections of
 * one projection, so a collection written by two projections would lose the other's keys (or
 * stop seeing revocations) after a rebuild. CredentialsService looks in both.
 */
export const INBOX_KEYS_COLLECTION = 'inbox_api_keys';

export interface InboxDocument extends ProjectedDocument {
  id: string;
  workspace_id: string;
  name: string;
  enabled: boolean;
  slack_channel_id: string | null;
  callback_url: string | null;
  /** Signs callback deliveries (worker only); never part of an API view. */
  callback_secret: string | null;
  created_at: string;
  updated_at: string;
}

/** Same shape as the workspaces projection's ApiKeyDocument (kind 'inbox'). */
export interface InboxKeyDocument extends ProjectedDocument {
  id: string;
  kind: 'inbox';
  workspace_id: string;
  inbox_id: string;
  key_hash: string;
  key_prefix: string;
  revoked: boolean;
  created_at: string;
}

type Data<T extends InboxEvent['type']> = Extract<InboxEvent, { type: T }>['data'];

export const inboxesProjection: Projection = {
  name: 'inboxes',
  collections: {
    [INBOXES_COLLECTION]: [{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }],
    [INBOX_KEYS_COLLECTION]: [{ keys: { key_hash: 1 }, unique: true }, { keys: { inbox_id: 1 } }],
  },
  eventTypes: INBOX_EVENT_TYPES,

  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const inboxes = target.collection<InboxDocument>(INBOXES_COLLECTION);
    const keys = target.collection<InboxKeyDocument>(INBOX_KEYS_COLLECTION);
    const at = event.metadata.occurred_at;
    const position = event.position;

    switch (event.type as InboxEvent['type']) {
      case 'InboxCreated': {
        const d = event.data as unknown as Data<'InboxCreated'>;
        await inboxes.put({
          _id: d.inbox_id,
          _position: position,
          id: d.inbox_id,
          workspace_id: d.workspace_id,
          name: d.name,
          enabled: d.enabled,
          slack_channel_id: d.slack_channel_id,
          callback_url: d.callback_url,
          callback_secret: null,
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'InboxUpdated': {
        const d = event.data as unknown as Data<'InboxUpdated'>;
        await inboxes.updateMany({ _id: d.inbox_id }, { $set: { ...d.changes, updated_at: at } }, position);
        return;
      }
      case 'InboxCallbackSecretIssued': {
        const d = event.data as unknown as Data<'InboxCallbackSecretIssued'>;
        await inboxes.updateMany({ _id: d.inbox_id }, { $set: { callback_secret: d.secret } }, position);
        return;
      }
      case 'InboxApiKeyIssued': {
        const d = event.data as unknown as Data<'InboxApiKeyIssued'>;
        await keys.put({
          _id: d.key_id,
          _position: position,
          id: d.key_id,
          kind: 'inbox',
          workspace_id: d.workspace_id,
          inbox_id: d.inbox_id,
          key_hash: d.key_hash,
          key_prefix: d.key_prefix,
          revoked: false,
          created_at: at,
        });
        return;
      }
      case 'InboxApiKeyRevoked': {
        const d = event.data as unknown as Data<'InboxApiKeyRevoked'>;
        await keys.updateMany({ _id: d.key_id }, { $set: { revoked: true } }, position);
        return;
      }
    }
  },
};
