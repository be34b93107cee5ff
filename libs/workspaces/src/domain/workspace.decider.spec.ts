import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { workspaceDecider } from './workspace.decider';
import type { WorkspaceEvent } from './workspace.events';

const spec = deciderSpecification(workspaceDecider);
const key = { keyId: 'k-1', keyHash: 'h1', keyPrefix: 'ldk_abcd' };
const created: WorkspaceEvent[] = [
  { type: 'WorkspaceCreated', data: { workspace_id: 'w-1', name: 'Acme' } },
  { type: 'WorkspaceApiKeyIssued', data: { workspace_id: 'w-1', key_id: 'k-1', key_hash: 'h1', key_prefix: 'ldk_abcd' } },
];

describe('workspace decider', () => {
  it('given nothing, when created, then the workspace and its first key exist', () => {
    spec.given([]).when({ type: 'CreateWorkspace', workspaceId: 'w-1', name: 'Acme', firstKey: key }).then(created);
  });

  it('given a workspace, when deactivated, then the subscription changes', () => {
    spec
      .given(created)
      .when({ type: 'UpdateWorkspace', subscriptionStatus: 'inactive' })
      .then([{ type: 'WorkspaceSubscriptionChanged', data: { workspace_id: 'w-1', subscription_status: 'inactive' } }]);
  });

  it('given a workspace, when updated with its current values, then nothing happens', () => {
    spec.given(created).when({ type: 'UpdateWorkspace', name: 'Acme', subscriptionStatus: 'active' }).thenNothingHappens();
  });

  it('given an active key, when revoked, then WorkspaceApiKeyRevoked', () => {
    spec
      .given(created)
      .when({ type: 'RevokeApiKey', keyId: 'k-1' })
      .then([{ type: 'WorkspaceApiKeyRevoked', data: { workspace_id: 'w-1', key_id: 'k-1' } }]);
  });

  it('given a revoked key, when revoked again, then not found', () => {
    spec
      .given([...created, { type: 'WorkspaceApiKeyRevoked', data: { workspace_id: 'w-1', key_id: 'k-1' } }])
      .when({ type: 'RevokeApiKey', keyId: 'k-1' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });

  it('given no workspace, when updated, then not found', () => {
    spec
      .given([])
      .when({ type: 'UpdateWorkspace', name: 'X' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});
