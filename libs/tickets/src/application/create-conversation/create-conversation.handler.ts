import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner, type WrittenEvent } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, invalidReference, newEntityId } from '@ledgerdesk/shared';
import { ticketDecider, type TicketCommand } from '../../domain/ticket.decider';
import { ticketStreamId, type TicketEvent } from '../../domain/ticket.events';
import { toConversationView, type ConversationView } from '../conversation.view';
import { agentSenderName } from '../agent-sender-name';
import { assertUser } from '../assert-user';
import { CreateConversationCommand } from './create-conversation.command';

export interface CreateConversationResult {
  entry: ConversationView;
  position: number;
}

const isNotFound = (error: unknown) => error instanceof DomainError && error.code === 'NOT_FOUND';

/** The ticket is a body reference: one the decider does not find is a 400 naming the field. */
const asTicketReference = (error: unknown): never => {
  throw isNotFound(error) ? invalidReference('ticket_id', 'ticket') : error;
};

@CommandHandler(CreateConversationCommand)
export class CreateConversationHandler implements ICommandHandler<CreateConversationCommand, CreateConversationResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, input, context }: CreateConversationCommand): Promise<CreateConversationResult> {
    const streamId = ticketStreamId(input.ticketId);
    const draft: TicketCommand = {
      type: 'AppendMessage',
      workspaceId,
      messageId: newEntityId(context),
      authorType: 'agent',
      authorId: input.authorId,
      body: input.content,
      internal: input.type === 'note' || input.internal,
      externalId: null,
    };
    // References first (400 naming the field), then the ticket's state (409 when merged): ask
    // the decider whether it finds the ticket before checking the author; a refusal for the
    // ticket's state comes from the append itself, once the references are known good.
    try {
      ticketDecider.decide(draft, (await this.runner.load(streamId, ticketDecider)).state);
    } catch (error) {
      if (isNotFound(error)) asTicketReference(error);
    }
    if (input.authorId) await assertUser(this.readStore, workspaceId, input.authorId, 'author_id');
    // A reply is shown to the customer under its author's (or the workspace's) name.
    const append: TicketCommand = { ...draft, senderName: await agentSenderName(this.readStore, workspaceId, input.authorId) };
    const outcome = await this.runner.run(streamId, ticketDecider, append, context).catch(asTicketReference);
    // The answer is the entry as written, as the projection will build it.
    const { data, metadata } = outcome.events[0] as WrittenEvent<Extract<TicketEvent, { type: 'MessageAppended' }>>;
    return {
      entry: toConversationView({
        id: data.message_id,
        ticket_id: data.ticket_id,
        type: data.internal ? 'note' : 'reply',
        internal: data.internal,
        author_type: data.author_type,
        author_id: data.author_id,
        body: data.body,
        external_id: data.external_id,
        created_at: metadata.occurred_at,
      }),
      position: outcome.position ?? 0,
    };
  }
}
