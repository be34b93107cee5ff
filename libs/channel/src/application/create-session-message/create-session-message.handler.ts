import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AppendMessageCommand, type AppendMessageResult, type ChannelMessageView } from '@ledgerdesk/tickets';
import { SessionConversations } from '../session-conversations';
import { CreateSessionMessageCommand } from './create-session-message.command';

export interface SessionMessageResult {
  message: ChannelMessageView;
  position: number | null;
}

@CommandHandler(CreateSessionMessageCommand)
export class CreateSessionMessageHandler implements ICommandHandler<CreateSessionMessageCommand, SessionMessageResult> {
  constructor(
    private readonly conversations: SessionConversations,
    private readonly commands: CommandBus,
  ) {}

  async execute({ inbox, sourceId, conversationId, content, echoId, context }: CreateSessionMessageCommand): Promise<SessionMessageResult> {
    const session = await this.conversations.session(inbox, sourceId);
    const ticket = await this.conversations.ticket(session, conversationId);
    // The same append as any customer message: events, webhooks, callbacks, Slack, and the reopen rule.
    const result: AppendMessageResult = await this.conversations.write(session, () =>
      this.commands.execute(
        new AppendMessageCommand(
          session.workspace_id,
          ticket.id,
          { body: content, authorType: 'customer', authorId: session.customer_id, messageType: 'incoming', echoId, sessionCustomerId: session.customer_id },
          context,
        ),
      ),
    );
    return { message: result.channelMessage, position: result.position };
  }
}
