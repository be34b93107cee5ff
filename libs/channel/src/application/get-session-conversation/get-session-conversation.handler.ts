import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SessionConversations, type ConversationView } from '../session-conversations';
import { GetSessionConversationQuery } from './get-session-conversation.query';

@QueryHandler(GetSessionConversationQuery)
export class GetSessionConversationHandler implements IQueryHandler<GetSessionConversationQuery, ConversationView> {
  constructor(private readonly conversations: SessionConversations) {}

  async execute({ inbox, sourceId, conversationId }: GetSessionConversationQuery): Promise<ConversationView> {
    const session = await this.conversations.session(inbox, sourceId);
    const ticket = await this.conversations.ticket(session, conversationId);
    return this.conversations.conversation(session.workspace_id, ticket);
  }
}
