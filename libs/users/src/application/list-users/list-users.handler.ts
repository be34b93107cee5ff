import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { USERS_COLLECTION, type UserDocument } from '../../projections/users.projection';
import { toUserView, type UserView } from '../user.view';
import { ListUsersQuery } from './list-users.query';

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery, Page<UserView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ workspaceId, criteria: c }: ListUsersQuery): Promise<Page<UserView>> {
    const filter: Record<string, unknown> = { workspace_id: workspaceId, deleted: false };
    if (c.role) filter.role = c.role;
    return keysetPage(
      this.readStore.collection<UserDocument>(USERS_COLLECTION),
      filter,
      { list: 'users', field: 'created_at', direction: -1, limit: c.limit, cursor: c.cursor },
      toUserView,
    );
  }
}
