import { createdDocument, defineProjection, updatedDocument, type DocumentProjection, type RecordedOf } from '@ledgerdesk/event-sourcing';
import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { IndexSpec, ProjectedDocument } from '@ledgerdesk/read-store';
import { WORKSPACE_EVENT_TYPES, type SubscriptionStatus, type WorkspaceEvent } from '../domain/workspace.events';

export const WORKSPACES_COLLECTION = 'workspaces';
export const API_KEYS_COLLECTION = 'api_keys';

export interface WorkspaceDocument extends ProjectedDocument {
  id: string;
  name: string;
  subscription_status: SubscriptionStatus;
  created_at: string;
  updated_at: string;
}

/** Credentials of every kind (workspace keys now, inbox keys later), looked up by hash. */
export interface ApiKeyDocument extends ProjectedDocument {
  id: string;
  kind: 'workspace' | 'inbox';
  workspace_id: string;
  inbox_id: string | null;
  key_hash: string;
  key_prefix: string;
  revoked: boolean;
  created_at: string;
}

const isKeyEvent = (event: RecordedOf<WorkspaceEvent>) => event.type === 'WorkspaceApiKeyIssued' || event.type === 'WorkspaceApiKeyRevoked';

export const workspacesProjection = defineProjection<RecordedOf<WorkspaceEvent>>({
  name: 'workspaces',
  eventTypes: WORKSPACE_EVENT_TYPES as ReadonlySet<WorkspaceEvent['type']>,
  collections: {
    [WORKSPACES_COLLECTION]: {
      indexes: [{ keys: { created_at: -1, _id: -1 } }],
      documentId: (event) => (isKeyEvent(event) ? null : event.data.workspace_id),
      evolve(workspace: WorkspaceDocument | null, event): WorkspaceDocument | null {
        switch (event.type) {
          case 'WorkspaceCreated':
            return createdDocument<WorkspaceDocument>(event.data.workspace_id, event, { name: event.data.name, subscription_status: 'active' });
          case 'WorkspaceRenamed':
            return workspace && updatedDocument(workspace, event, { name: event.data.name });
          case 'WorkspaceSubscriptionChanged':
            return workspace && updatedDocument(workspace, event, { subscription_status: event.data.subscription_status });
          default:
            return workspace;
        }
      },
    },
    [API_KEYS_COLLECTION]: apiKeyDocuments<RecordedOf<WorkspaceEvent>>(
      'workspace',
      {
        issued: (event) => (event.type === 'WorkspaceApiKeyIssued' ? event.data : null),
        revoked: (event) => (event.type === 'WorkspaceApiKeyRevoked' ? event.data.key_id : null),
      },
      [{ keys: { workspace_id: 1 } }],
    ),
  },
});

/** What a key's issue event says of it. */
interface IssuedKey {
  key_id: string;
  workspace_id: string;
  inbox_id?: string;
  key_hash: string;
  key_prefix: string;
}

/**
 * A collection of keys of one kind, looked up by hash: a document per key, written when it is
 * issued and marked when revoked. The inboxes projection keeps its inboxes' keys (kind 'inbox')
 * the same way, in a collection of its own.
 */
export function apiKeyDocuments<E extends RecordedEvent>(
  kind: ApiKeyDocument['kind'],
  events: { issued(event: E): IssuedKey | null; revoked(event: E): string | null },
  indexes: IndexSpec[],
): DocumentProjection<E, ApiKeyDocument> {
  return {
    indexes: [{ keys: { key_hash: 1 }, unique: true }, ...indexes],
    documentId: (event) => events.issued(event)?.key_id ?? events.revoked(event),
    evolve(key, event) {
      const issued = events.issued(event);
      if (issued) {
        const { key_id, workspace_id, key_hash, key_prefix } = issued;
        const created_at = event.metadata.occurred_at;
        return {
          _id: key_id,
          _position: event.position,
          id: key_id,
          kind,
          workspace_id,
          inbox_id: issued.inbox_id ?? null,
          key_hash,
          key_prefix,
          revoked: false,
          created_at,
        };
      }
      return key && events.revoked(event) ? { ...key, _position: event.position, revoked: true } : key;
    },
  };
}
