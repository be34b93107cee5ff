export type SubscriptionStatus = 'active' | 'inactive';

export type WorkspaceEvent =
  | { type: 'WorkspaceCreated'; data: { workspace_id: string; name: string } }
  | { type: 'WorkspaceRenamed'; data: { workspace_id: string; name: string } }
  | { type: 'WorkspaceSubscriptionChanged'; data: { workspace_id: string; subscription_status: SubscriptionStatus } }
  | { type: 'WorkspaceApiKeyIssued'; data: { workspace_id: string; key_id: string; key_hash: string; key_prefix: string } }
  | { type: 'WorkspaceApiKeyRevoked'; data: { workspace_id: string; key_id: string } };

export const WORKSPACE_EVENT_TYPES: ReadonlySet<string> = new Set<WorkspaceEvent['type']>([
  'WorkspaceCreated',
  'WorkspaceRenamed',
  'WorkspaceSubscriptionChanged',
  'WorkspaceApiKeyIssued',
  'WorkspaceApiKeyRevoked',
]);

export const workspaceStreamId = (workspaceId: string) => `workspace-${workspaceId}`;
