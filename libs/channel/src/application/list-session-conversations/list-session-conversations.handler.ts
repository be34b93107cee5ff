import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Page } from '@ledgerdesk/read-store';
import { ListTicketsQuery, type TicketView } from '@ledgerdesk/tickets';
import { SessionConversations, sessionTicketsCriteria, type ConversationView } from '../session-conversations';
import { ListSessionConversationsQuery } from './list-session-conversations.query';

@QueryHandler(ListSessionConversationsQuery)
export class ListSessionConversationsHandler implements IQueryHandler<ListSessionConversationsQuery, Page<ConversationView>> {
  constructor(
    private readonly conversations: SessionConversations,
    private readonly queries: QueryBus,
  ) {}

  async execute({ inbox, sourceId, limit, cursor }: ListSessionConversationsQuery): Promise<Page<ConversationView>> {
    const session = await this.conversations.session(inbox, sourceId);
    const page: Page<TicketView> = await this.queries.execute(new ListTicketsQuery(session.workspace_id, sessionTicketsCriteria(session, { limit, cursor })));
    const data = await Promise.all(page.data.map((ticket) => this.conversations.conversation(session.workspace_id, ticket)));
    return { data, meta: page.meta };
  }
}
