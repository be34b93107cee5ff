import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { WORKSPACES_COLLECTION, type WorkspaceDocument } from '../../projections/workspaces.projection';
import { toWorkspaceView, type WorkspaceView } from '../workspace.view';
import { ListWorkspacesQuery } from './list-workspaces.query';

@QueryHandler(ListWorkspacesQuery)
export class ListWorkspacesHandler implements IQueryHandler<ListWorkspacesQuery, Page<WorkspaceView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ limit, cursor }: ListWorkspacesQuery): Promise<Page<WorkspaceView>> {
    return keysetPage(
      this.readStore.collection<WorkspaceDocument>(WORKSPACES_COLLECTION),
      {},
      { list: 'workspaces', field: 'created_at', direction: -1, limit, cursor },
      toWorkspaceView,
    );
  }
}
