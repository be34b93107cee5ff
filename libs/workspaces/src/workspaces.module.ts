import { Module } from '@nestjs/common';
import { CreateWorkspaceHandler } from './application/create-workspace/create-workspace.handler';
import { GetWorkspaceHandler } from './application/get-workspace/get-workspace.handler';
import { IssueApiKeyHandler } from './application/issue-api-key/issue-api-key.handler';
import { ListWorkspacesHandler } from './application/list-workspaces/list-workspaces.handler';
import { RevokeApiKeyHandler } from './application/revoke-api-key/revoke-api-key.handler';
import { UpdateWorkspaceHandler } from './application/update-workspace/update-workspace.handler';

/** The workspaces context: workspaces and their API keys (admin API). */
@Module({
  imports: [],
  providers: [CreateWorkspaceHandler, UpdateWorkspaceHandler, IssueApiKeyHandler, RevokeApiKeyHandler, ListWorkspacesHandler, GetWorkspaceHandler],
})
export class WorkspacesModule {}
