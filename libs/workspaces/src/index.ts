export * from './domain/workspace.events';
export * from './domain/workspace.decider';
export * from './projections/workspaces.projection';
export * from './application/workspace.view';
export * from './application/create-workspace/create-workspace.command';
export * from './application/create-workspace/create-workspace.handler';
export * from './application/update-workspace/update-workspace.command';
export * from './application/issue-api-key/issue-api-key.command';
export * from './application/revoke-api-key/revoke-api-key.command';
export * from './application/list-workspaces/list-workspaces.query';
export * from './application/get-workspace/get-workspace.query';

import { CreateWorkspaceHandler } from './application/create-workspace/create-workspace.handler';
import { GetWorkspaceHandler } from './application/get-workspace/get-workspace.handler';
import { IssueApiKeyHandler } from './application/issue-api-key/issue-api-key.handler';
import { ListWorkspacesHandler } from './application/list-workspaces/list-workspaces.handler';
import { RevokeApiKeyHandler } from './application/revoke-api-key/revoke-api-key.handler';
import { UpdateWorkspaceHandler } from './application/update-workspace/update-workspace.handler';

export const WORKSPACE_HANDLERS = [
  CreateWorkspaceHandler,
  UpdateWorkspaceHandler,
  IssueApiKeyHandler,
  RevokeApiKeyHandler,
  ListWorkspacesHandler,
  GetWorkspaceHandler,
];
