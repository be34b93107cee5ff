import { notFound } from './domain-error';

/** What every workspace-owned aggregate's state says about its existence and owner. */
export interface WorkspaceOwned {
  exists: boolean;
  /** Absent for aggregates that cannot be deleted. */
  deleted?: boolean;
  workspaceId: string | null;
}

/** Exists, is not deleted, and belongs to `workspaceId`. */
export const isVisibleTo = (state: WorkspaceOwned, workspaceId: string): boolean => state.exists && state.deleted !== true && state.workspaceId === workspaceId;

/**
 * The tenancy rule, for deciders: a missing, deleted or other workspace's aggregate is
 * NOT_FOUND, all three alike, so ids of other workspaces reveal nothing.
 */
export function assertVisibleTo(state: WorkspaceOwned, workspaceId: string, what: string): void {
  if (!isVisibleTo(state, workspaceId)) throw notFound(what);
}
