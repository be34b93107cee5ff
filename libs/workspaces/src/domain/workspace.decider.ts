import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError, notFound } from '@ledgerdesk/shared';
import type { SubscriptionStatus, WorkspaceEvent } from './workspace.events';

export type WorkspaceCommand =
  | { type: 'CreateWorkspace'; workspaceId: string; name: string; firstKey: IssuedKey }
  | { type: 'UpdateWorkspace'; name?: string; subscriptionStatus?: SubscriptionStatus }
  | { type: 'IssueApiKey'; key: IssuedKey }
  | { type: 'RevokeApiKey'; keyId: string };

/** The key itself never reaches the domain: only its id, hash and display prefix. */
export interface IssuedKey {
  keyId: string;
  keyHash: string;
  keyPrefix: string;
}

export interface WorkspaceState {
  exists: boolean;
  id: string | null;
  name: string;
  subscriptionStatus: SubscriptionStatus;
  activeKeyIds: ReadonlySet<string>;
}

export const initialWorkspaceState: WorkspaceState = {
  exists: false,
  id: null,
  name: '',
  subscriptionStatus: 'active',
  activeKeyIds: new Set(),
};

function decide(command: WorkspaceCommand, state: WorkspaceState): WorkspaceEvent[] {
  if (command.type === 'CreateWorkspace') {
    if (state.exists) throw new DomainError('CONFLICT', 'Workspace already exists');
    const workspace_id = command.workspaceId;
    return [
      { type: 'WorkspaceCreated', data: { workspace_id, name: command.name } },
      { type: 'WorkspaceApiKeyIssued', data: { workspace_id, ...keyData(command.firstKey) } },
    ];
  }
  if (!state.exists || !state.id) throw notFound('Workspace');
  const workspace_id = state.id;
  switch (command.type) {
    case 'UpdateWorkspace': {
      const events: WorkspaceEvent[] = [];
      if (command.name !== undefined && command.name !== state.name) {
        events.push({ type: 'WorkspaceRenamed', data: { workspace_id, name: command.name } });
      }
      if (command.subscriptionStatus !== undefined && command.subscriptionStatus !== state.subscriptionStatus) {
        events.push({
          type: 'WorkspaceSubscriptionChanged',
          data: { workspace_id, subscription_status: command.subscriptionStatus },
        });
      }
      return events;
    }
    case 'IssueApiKey':
      return [{ type: 'WorkspaceApiKeyIssued', data: { workspace_id, ...keyData(command.key) } }];
    case 'RevokeApiKey':
      if (!state.activeKeyIds.has(command.keyId)) throw notFound('API key');
      return [{ type: 'WorkspaceApiKeyRevoked', data: { workspace_id, key_id: command.keyId } }];
  }
}

function evolve(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  switch (event.type) {
    case 'WorkspaceCreated':
      return { ...state, exists: true, id: event.data.workspace_id, name: event.data.name };
    case 'WorkspaceRenamed':
      return { ...state, name: event.data.name };
    case 'WorkspaceSubscriptionChanged':
      return { ...state, subscriptionStatus: event.data.subscription_status };
    case 'WorkspaceApiKeyIssued':
      return { ...state, activeKeyIds: new Set([...state.activeKeyIds, event.data.key_id]) };
    case 'WorkspaceApiKeyRevoked': {
      const activeKeyIds = new Set(state.activeKeyIds);
      activeKeyIds.delete(event.data.key_id);
      return { ...state, activeKeyIds };
    }
  }
}

const keyData = (key: IssuedKey) => ({ key_id: key.keyId, key_hash: key.keyHash, key_prefix: key.keyPrefix });

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  decide,
  evolve,
  initialState: initialWorkspaceState,
};
