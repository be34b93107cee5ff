import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { MESSAGES_COLLECTION, type MessageDocument } from '../../projections/ticket.read-model';
import { toConversationView, type ConversationView } from '../conversation.view';
import { GetConversationQuery } from './get-conversation.query';

@QueryHandler(GetConversationQuery)
export class GetConversationHandler implements IQueryHandler<GetConversationQuery, ConversationView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, conversationId }: GetConversationQuery): Promise<ConversationView> {
    const doc = await this.readStore
      .collection<MessageDocument>(MESSAGES_COLLECTION)
      .findOne({ _id: conversationId, workspace_id: workspaceId, ticket_deleted: { $ne: true } });
    if (!doc) throw notFound('Conversation');
    return toConversationView(doc);
  }
}
