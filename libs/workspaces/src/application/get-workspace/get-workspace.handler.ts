import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { WORKSPACES_COLLECTION, type WorkspaceDocument } from '../../projections/workspaces.projection';
import { toWorkspaceView, type WorkspaceView } from '../workspace.view';
import { GetWorkspaceQuery } from './get-workspace.query';

@QueryHandler(GetWorkspaceQuery)
export class GetWorkspaceHandler implements IQueryHandler<GetWorkspaceQuery, WorkspaceView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId }: GetWorkspaceQuery): Promise<WorkspaceView> {
    const doc = await this.readStore.collection<WorkspaceDocument>(WORKSPACES_COLLECTION).findOne({ _id: workspaceId });
    if (!doc) throw notFound('Workspace');
    return toWorkspaceView(doc);
  }
}
