import { createdDocument, defineProjection, updatedDocument, type EntityDocument, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { apiKeyDocuments, type ApiKeyDocument } from '@ledgerdesk/workspaces';
import { INBOX_EVENT_TYPES, type InboxEvent } from '../domain/inbox.events';

export const INBOXES_COLLECTION = 'inboxes';
/**
 * Inbox keys, in the shape of the workspaces projection's `api_keys` documents (kind 'inbox'),
 * but in a collection this projection owns: a rebuild fills and switches the collections of
 * one projection, so a collection written by two projections would lose the other's keys (or
 * stop seeing revocations) after a rebuild. CredentialsService looks in both.
 */
export const INBOX_KEYS_COLLECTION = 'inbox_api_keys';

export interface InboxDocument extends EntityDocument {
  name: string;
  enabled: boolean;
  slack_channel_id: string | null;
  callback_url: string | null;
  /** Signs callback deliveries (worker only); never part of an API view. */
  callback_secret: string | null;
  /** Null for inboxes created before the client API (their InboxCreated has none). */
  public_identifier: string | null;
  hmac_mandatory: boolean;
  allowed_origins: string[];
}

/** The workspaces projection's ApiKeyDocument, of kind 'inbox'. */
export type InboxKeyDocument = ApiKeyDocument & { kind: 'inbox'; inbox_id: string };

type InboxesProjectionEvent = RecordedOf<InboxEvent>;

export const inboxesProjection = defineProjection<InboxesProjectionEvent>({
  name: 'inboxes',
  eventTypes: INBOX_EVENT_TYPES as ReadonlySet<InboxEvent['type']>,
  collections: {
    [INBOXES_COLLECTION]: {
      indexes: [{ keys: { workspace_id: 1, created_at: -1, _id: -1 } }, { keys: { public_identifier: 1 } }],
      documentId: (event) => (event.type === 'InboxApiKeyIssued' || event.type === 'InboxApiKeyRevoked' ? null : event.data.inbox_id),
      evolve(inbox: InboxDocument | null, event): InboxDocument | null {
        if (event.type === 'InboxCreated') {
          const d = event.data;
          return createdDocument<InboxDocument>(d.inbox_id, event, {
            workspace_id: d.workspace_id,
            name: d.name,
            enabled: d.enabled,
            slack_channel_id: d.slack_channel_id,
            callback_url: d.callback_url,
            callback_secret: null,
            // The HMAC token stays in the log (sealed): identity checks read the inbox's stream.
            public_identifier: d.public_identifier ?? null,
            hmac_mandatory: d.hmac_mandatory ?? false,
            allowed_origins: d.allowed_origins ?? [],
          });
        }
        if (!inbox) return null;
        switch (event.type) {
          case 'InboxUpdated':
            return updatedDocument(inbox, event, event.data.changes);
          case 'InboxCallbackSecretIssued':
            return { ...inbox, _position: event.position, callback_secret: event.data.secret };
          default:
            return inbox;
        }
      },
    },
    [INBOX_KEYS_COLLECTION]: apiKeyDocuments<InboxesProjectionEvent>(
      'inbox',
      {
        issued: (event) => (event.type === 'InboxApiKeyIssued' ? event.data : null),
        revoked: (event) => (event.type === 'InboxApiKeyRevoked' ? event.data.key_id : null),
      },
      [{ keys: { inbox_id: 1 } }],
    ),
  },
});
