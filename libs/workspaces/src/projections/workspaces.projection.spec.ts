import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import { API_KEYS_COLLECTION, WORKSPACES_COLLECTION, workspacesProjection, type ApiKeyDocument, type WorkspaceDocument } from './workspaces.projection';

const spec = projectionSpecification(workspacesProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';

const created = recordedEvent('WorkspaceCreated', { workspace_id: 'w-1', name: 'Acme' }, { position: 1, occurredAt: T0 });
const workspace: WorkspaceDocument = { _id: 'w-1', _position: 1, id: 'w-1', name: 'Acme', subscription_status: 'active', created_at: T0, updated_at: T0 };
const keyFields = { workspace_id: 'w-1', key_hash: 'hash', key_prefix: 'ldk_abc' };
const keyIssued = recordedEvent('WorkspaceApiKeyIssued', { key_id: 'k-1', ...keyFields }, { position: 2, occurredAt: T0 });
const key: ApiKeyDocument = { _id: 'k-1', _position: 2, id: 'k-1', kind: 'workspace', inbox_id: null, ...keyFields, revoked: false, created_at: T0 };

describe('workspaces projection', () => {
  it('creates an active workspace', () =>
    spec
      .given([])
      .when(created)
      .then({ [WORKSPACES_COLLECTION]: [workspace], [API_KEYS_COLLECTION]: [] }));

  it('renames a workspace', () =>
    spec
      .given([created])
      .when(recordedEvent('WorkspaceRenamed', { workspace_id: 'w-1', name: 'Acme Inc' }, { position: 2, occurredAt: T1 }))
      .then({ [WORKSPACES_COLLECTION]: [{ ...workspace, _position: 2, name: 'Acme Inc', updated_at: T1 }] }));

  it('follows the subscription', () =>
    spec
      .given([created])
      .when(recordedEvent('WorkspaceSubscriptionChanged', { workspace_id: 'w-1', subscription_status: 'inactive' }, { position: 2, occurredAt: T1 }))
      .then({ [WORKSPACES_COLLECTION]: [{ ...workspace, _position: 2, subscription_status: 'inactive', updated_at: T1 }] }));

  it('writes an issued key beside the workspace', () =>
    spec
      .given([created])
      .when(keyIssued)
      .then({ [WORKSPACES_COLLECTION]: [workspace], [API_KEYS_COLLECTION]: [key] }));

  it('revokes a key', () =>
    spec
      .given([created, keyIssued])
      .when(recordedEvent('WorkspaceApiKeyRevoked', { workspace_id: 'w-1', key_id: 'k-1' }, { position: 3, occurredAt: T1 }))
      .then({ [API_KEYS_COLLECTION]: [{ ...key, _position: 3, revoked: true }] }));

  it('ignores events of a workspace or a key it does not know', () =>
    spec
      .given([])
      .when(
        recordedEvent('WorkspaceRenamed', { workspace_id: 'w-9', name: 'X' }, { position: 2 }),
        recordedEvent('WorkspaceApiKeyRevoked', { workspace_id: 'w-9', key_id: 'k-9' }, { position: 3 }),
      )
      .thenNothingChanges());
});
