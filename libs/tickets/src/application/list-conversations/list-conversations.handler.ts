import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { MESSAGES_COLLECTION, type MessageDocument } from '../../projections/ticket.read-model';
import { toConversationView, type ConversationView } from '../conversation.view';
import { ListConversationsQuery } from './list-conversations.query';

@QueryHandler(ListConversationsQuery)
export class ListConversationsHandler implements IQueryHandler<ListConversationsQuery, Page<ConversationView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ workspaceId, criteria: c }: ListConversationsQuery): Promise<Page<ConversationView>> {
    const filter: Record<string, unknown> = c.ticketId
      ? { ticket_id: c.ticketId, workspace_id: workspaceId, ticket_deleted: { $ne: true } }
      : { workspace_id: workspaceId, ticket_deleted: { $ne: true } };
    if (c.type) filter.type = c.type;
    if (c.internal !== undefined) filter.internal = c.internal;
    // Log order: exact even when entries share a timestamp.
    return keysetPage(
      this.readStore.collection<MessageDocument>(MESSAGES_COLLECTION),
      filter,
      { list: 'conversations', field: 'seq', orderName: 'created_at', direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toConversationView,
    );
  }
}
