import { notFound } from './domain-error';

/** What every workspace-owned aggregate's state says about its existence and owner. */
export interface WorkspaceOwned {
  exists: boolean;
  deleted: boolean;
  workspaceId: string | null;
}

/**
 * The tenancy rule, for deciders: a missing, deleted or other workspace's aggregate is
 * NOT_FOUND, all three alike, so ids of other workspaces reveal nothing.
 */
export function assertVisibleTo(state: WorkspaceOwned, workspaceId: string, what: string): void {
  if (!state.exists || state.deleted || state.workspaceId !== workspaceId) throw notFound(what);
}
