import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UpdateTicketCommand, type TicketAfterWrite, type TicketStatus } from '@ledgerdesk/tickets';
import { SessionConversations } from '../session-conversations';
import type { SessionConversationResult } from '../create-session-conversation/create-session-conversation.handler';
import { ToggleConversationStatusCommand } from './toggle-conversation-status.command';

/** Statuses a contact's resolve leaves as they are: already resolved, or past it. */
const RESOLVED: ReadonlySet<TicketStatus> = new Set(['solved', 'closed']);

@CommandHandler(ToggleConversationStatusCommand)
export class ToggleConversationStatusHandler implements ICommandHandler<ToggleConversationStatusCommand, SessionConversationResult> {
  constructor(
    private readonly conversations: SessionConversations,
    private readonly commands: CommandBus,
  ) {}

  async execute({ inbox, sourceId, conversationId, context }: ToggleConversationStatusCommand): Promise<SessionConversationResult> {
    const session = await this.conversations.session(inbox, sourceId);
    const ticket = await this.conversations.ticket(session, conversationId);
    if (RESOLVED.has(ticket.status)) return { conversation: await this.conversations.conversation(session.workspace_id, ticket), position: null };
    // The read model may not show a merge yet: the decider refuses it then (write words the 409).
    const after: TicketAfterWrite = await this.conversations.write(session, () =>
      this.commands.execute(new UpdateTicketCommand(session.workspace_id, ticket.id, { status: 'solved' }, undefined, context)),
    );
    return { conversation: await this.conversations.conversation(session.workspace_id, { ...ticket, ...after.ticket }), position: after.position };
  }
}
