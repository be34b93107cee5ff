import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, decodeCursor, encodeCursor, keysetFilter, listScope, type KeysetSort, type ReadStore } from '@ledgerdesk/read-store';
import { INBOXES_COLLECTION, type InboxDocument } from '../../projections/inboxes.projection';
import { toInboxView, type InboxView } from '../inbox.view';
import { ListInboxesQuery } from './list-inboxes.query';

const SORT: KeysetSort = [
  ['created_at', -1],
  ['_id', -1],
];

@QueryHandler(ListInboxesQuery)
export class ListInboxesHandler implements IQueryHandler<ListInboxesQuery> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, limit, cursor }: ListInboxesQuery) {
    const inboxes = this.readStore.collection<InboxDocument>(INBOXES_COLLECTION);
    const scope = { workspace_id: workspaceId };
    const cursorScope = listScope('inboxes', scope);
    const filter = cursor ? { $and: [scope, keysetFilter(SORT, decodeCursor(cursor, cursorScope, 2))] } : scope;
    const [rows, total] = await Promise.all([inboxes.find(filter, { sort: Object.fromEntries(SORT), limit: limit + 1 }), inboxes.count(scope)]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map(toInboxView) as InboxView[],
      meta: { limit, total, next_cursor: rows.length > limit && last ? encodeCursor(cursorScope, [last.created_at, last._id]) : null },
    };
  }
}
