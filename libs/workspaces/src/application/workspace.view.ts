import type { WorkspaceDocument } from '../projections/workspaces.projection';

export const toWorkspaceView = (doc: Pick<WorkspaceDocument, 'id' | 'name' | 'subscription_status' | 'created_at'>) => ({
  id: doc.id,
  name: doc.name,
  subscription_status: doc.subscription_status,
  created_at: doc.created_at,
});

export type WorkspaceView = ReturnType<typeof toWorkspaceView>;
