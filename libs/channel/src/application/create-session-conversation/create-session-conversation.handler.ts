import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CreateTicketCommand, toChannelMessage, UpdateTicketCommand, type CreateTicketResult, type TicketAfterWrite } from '@ledgerdesk/tickets';
import { SessionConversations, toConversation, type ConversationView } from '../session-conversations';
import { CreateSessionConversationCommand } from './create-session-conversation.command';
import { newEntityId } from '@ledgerdesk/shared';

export interface SessionConversationResult {
  conversation: ConversationView;
  position: number | null;
}

@CommandHandler(CreateSessionConversationCommand)
export class CreateSessionConversationHandler implements ICommandHandler<CreateSessionConversationCommand, SessionConversationResult> {
  constructor(
    private readonly conversations: SessionConversations,
    private readonly commands: CommandBus,
  ) {}

  async execute({ inbox, sourceId, message, customAttributes, context }: CreateSessionConversationCommand): Promise<SessionConversationResult> {
    const session = await this.conversations.session(inbox, sourceId);
    const result: CreateTicketResult = await this.commands.execute(
      new CreateTicketCommand(
        session.workspace_id,
        {
          description: message?.content,
          echoId: message?.echoId ?? null,
          session,
          customerName: null,
          priority: 'medium',
          tags: [],
          inboxId: session.inbox_id,
          assigneeId: null,
          source: 'channel',
          ticketTokenHash: null,
          externalId: null,
        },
        context,
        { ticketId: newEntityId(context) },
      ),
    );
    const { ticket } = result;
    let position: number | null = result.position;
    // The contact's custom attributes are the ticket's custom fields, set as any update sets them.
    if (customAttributes && Object.keys(customAttributes).length > 0) {
      const after: TicketAfterWrite = await this.commands.execute(
        new UpdateTicketCommand(session.workspace_id, ticket.id, { customFields: customAttributes }, undefined, context),
      );
      position = after.position ?? position;
    }
    // The answer comes from what was written: the new ticket, and its first message if any.
    const messages = message
      ? [
          toChannelMessage(
            {
              id: result.messageId,
              author_type: 'customer',
              author_id: session.customer_id,
              body: message.content,
              echo_id: message.echoId,
              created_at: ticket.created_at,
            },
            ticket,
          ),
        ]
      : [];
    return { conversation: toConversation(ticket, messages), position };
  }
}
