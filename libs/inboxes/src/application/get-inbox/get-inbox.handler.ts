import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { INBOXES_COLLECTION, type InboxDocument } from '../../projections/inboxes.projection';
import { toInboxView, type InboxView } from '../inbox.view';
import { GetInboxQuery } from './get-inbox.query';

@QueryHandler(GetInboxQuery)
export class GetInboxHandler implements IQueryHandler<GetInboxQuery, InboxView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, inboxId }: GetInboxQuery): Promise<InboxView> {
    const doc = await this.readStore.collection<InboxDocument>(INBOXES_COLLECTION).findOne({ _id: inboxId, workspace_id: workspaceId });
    if (!doc) throw notFound('Inbox');
    return toInboxView(doc);
  }
}
