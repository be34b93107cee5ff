import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EditMessageCommand, type EditMessageResult } from '@ledgerdesk/tickets';
import type { SessionMessageResult } from '../create-session-message/create-session-message.handler';
import { SessionConversations } from '../session-conversations';
import { EditSessionMessageCommand } from './edit-session-message.command';

@CommandHandler(EditSessionMessageCommand)
export class EditSessionMessageHandler implements ICommandHandler<EditSessionMessageCommand, SessionMessageResult> {
  constructor(
    private readonly conversations: SessionConversations,
    private readonly commands: CommandBus,
  ) {}

  async execute({ inbox, sourceId, conversationId, messageId, content, context }: EditSessionMessageCommand): Promise<SessionMessageResult> {
    const session = await this.conversations.session(inbox, sourceId);
    const ticket = await this.conversations.ticket(session, conversationId);
    // The ticket decider says whose message it is (403) and whether the contact sees it (404).
    const result: EditMessageResult = await this.conversations.write(session, () =>
      this.commands.execute(
        new EditMessageCommand({
          workspaceId: session.workspace_id,
          ticketId: ticket.id,
          messageId,
          body: content,
          editorCustomerId: session.customer_id,
          context,
        }),
      ),
    );
    return { message: result.message, position: result.position };
  }
}
