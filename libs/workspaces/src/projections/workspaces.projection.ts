import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument } from '@ledgerdesk/read-store';
import type { SubscriptionStatus, WorkspaceEvent } from '../domain/workspace.events';
import { WORKSPACE_EVENT_TYPES } from '../domain/workspace.events';

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

type Data<T extends WorkspaceEvent['type']> = Extract<WorkspaceEvent, { type: T }>['data'];

export const workspacesProjection: Projection = {
  name: 'workspaces',
  collections: {
    [WORKSPACES_COLLECTION]: [{ keys: { created_at: -1, _id: -1 } }],
    [API_KEYS_COLLECTION]: [{ keys: { key_hash: 1 }, unique: true }, { keys: { workspace_id: 1 } }],
  },
  eventTypes: WORKSPACE_EVENT_TYPES,

  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const workspaces = target.collection<WorkspaceDocument>(WORKSPACES_COLLECTION);
    const keys = target.collection<ApiKeyDocument>(API_KEYS_COLLECTION);
    const at = event.metadata.occurred_at;
    const position = event.position;

    switch (event.type as WorkspaceEvent['type']) {
      case 'WorkspaceCreated': {
        const data = event.data as Data<'WorkspaceCreated'>;
        await workspaces.put({
          _id: data.workspace_id,
          _position: position,
          id: data.workspace_id,
          name: data.name,
          subscription_status: 'active',
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'WorkspaceRenamed': {
        const data = event.data as Data<'WorkspaceRenamed'>;
        await workspaces.updateMany({ _id: data.workspace_id }, { $set: { name: data.name, updated_at: at } }, position);
        return;
      }
      case 'WorkspaceSubscriptionChanged': {
        const data = event.data as Data<'WorkspaceSubscriptionChanged'>;
        await workspaces.updateMany({ _id: data.workspace_id }, { $set: { subscription_status: data.subscription_status, updated_at: at } }, position);
        return;
      }
      case 'WorkspaceApiKeyIssued': {
        const data = event.data as Data<'WorkspaceApiKeyIssued'>;
        await keys.put({
          _id: data.key_id,
          _position: position,
          id: data.key_id,
          kind: 'workspace',
          workspace_id: data.workspace_id,
          inbox_id: null,
          key_hash: data.key_hash,
          key_prefix: data.key_prefix,
          revoked: false,
          created_at: at,
        });
        return;
      }
      case 'WorkspaceApiKeyRevoked': {
        const data = event.data as Data<'WorkspaceApiKeyRevoked'>;
        await keys.updateMany({ _id: data.key_id }, { $set: { revoked: true } }, position);
        return;
      }
    }
  },
};
