import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { USERS_COLLECTION, type UserDocument } from '../../projections/users.projection';
import { toUserView, type UserView } from '../user.view';
import { GetUserQuery } from './get-user.query';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, UserView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, userId }: GetUserQuery): Promise<UserView> {
    const doc = await this.readStore.collection<UserDocument>(USERS_COLLECTION).findOne({ _id: userId, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('User');
    return toUserView(doc);
  }
}
