import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '@ledgerdesk/read-store';
import { ListTicketMessagesQuery, type ChannelMessageView } from '@ledgerdesk/tickets';
import { SessionConversations } from '../session-conversations';
import { ListSessionMessagesQuery } from './list-session-messages.query';

@QueryHandler(ListSessionMessagesQuery)
export class ListSessionMessagesHandler implements IQueryHandler<ListSessionMessagesQuery, Page<ChannelMessageView>> {
  constructor(
    private readonly conversations: SessionConversations,
    private readonly queries: QueryBus,
  ) {}

  async execute({ inbox, sourceId, conversationId, limit, cursor }: ListSessionMessagesQuery): Promise<Page<ChannelMessageView>> {
    const session = await this.conversations.session(inbox, sourceId);
    const ticket = await this.conversations.ticket(session, conversationId);
    return this.queries.execute(new ListTicketMessagesQuery(session.workspace_id, ticket.id, { limit, cursor }));
  }
}
