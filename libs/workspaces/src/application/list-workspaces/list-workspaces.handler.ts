import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, decodeCursor, encodeCursor, keysetFilter, type KeysetSort, type ReadStore } from '@ledgerdesk/read-store';
import { WORKSPACES_COLLECTION, type WorkspaceDocument } from '../../projections/workspaces.projection';
import { toWorkspaceView, type WorkspaceView } from '../workspace.view';
import { ListWorkspacesQuery } from './list-workspaces.query';

const SORT: KeysetSort = [
  ['created_at', -1],
  ['_id', -1],
];

@QueryHandler(ListWorkspacesQuery)
export class ListWorkspacesHandler implements IQueryHandler<ListWorkspacesQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ limit, cursor }: ListWorkspacesQuery) {
    const workspaces = this.readStore.collection<WorkspaceDocument>(WORKSPACES_COLLECTION);
    const filter = cursor ? keysetFilter(SORT, decodeCursor(cursor, 2)) : {};
    const [rows, total] = await Promise.all([
      workspaces.find(filter, { sort: Object.fromEntries(SORT), limit: limit + 1 }),
      workspaces.count({}),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toWorkspaceView) as WorkspaceView[],
      meta: { limit, total, next_cursor: rows.length > limit && last ? encodeCursor([last.created_at, last._id]) : null },
    };
  }
}
