import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner, type WrittenEvent } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId, type TicketEvent } from '../../domain/ticket.events';
import { TICKETS_COLLECTION, type TicketDocument } from '../../projections/ticket.read-model';
import { agentSenderName } from '../agent-sender-name';
import { assertUser } from '../assert-user';
import { toChannelMessage, type ChannelMessageView } from '../channel-message.view';
import { AppendMessageCommand } from './append-message.command';
import { newEntityId } from '@ledgerdesk/shared';

export interface AppendMessageResult {
  message: {
    id: string;
    author_type: string;
    author_id: string | null;
    body: string;
    internal: boolean;
    external_id: string | null;
    echo_id: string | null;
    created_at: string;
  };
  /** The message as the API channel shows it (API.md section 8, call 3). */
  channelMessage: ChannelMessageView;
  ticketId: string;
  /** The ticket went back to open (a customer message on a pending or solved ticket). */
  reopened: boolean;
  position: number;
}

@CommandHandler(AppendMessageCommand)
export class AppendMessageHandler implements ICommandHandler<AppendMessageCommand, AppendMessageResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, ticketId, input, context }: AppendMessageCommand): Promise<AppendMessageResult> {
    const authorType = input.authorType ?? (input.messageType === 'outgoing' ? 'agent' : 'customer');
    // Body references first (400 naming the field), then the ticket (404, 409).
    const senderName = authorType === 'agent' && input.messageType === 'outgoing' ? await this.agentName(workspaceId, input.authorId) : undefined;
    const outcome = await this.runner.run(
      ticketStreamId(ticketId),
      ticketDecider,
      {
        type: 'AppendMessage',
        workspaceId,
        messageId: newEntityId(context),
        authorType,
        authorId: input.authorId,
        body: input.body,
        internal: input.internal ?? false,
        externalId: input.externalId ?? null,
        ...(input.echoId ? { echoId: input.echoId } : {}),
        ...(senderName !== undefined ? { senderName } : {}),
        ...(input.sessionCustomerId !== undefined ? { sessionCustomerId: input.sessionCustomerId } : {}),
      },
      context,
    );
    // The answer is the message as written (a customer message with no named author is from the ticket's own customer).
    const { data, metadata } = outcome.events[0] as WrittenEvent<Extract<TicketEvent, { type: 'MessageAppended' }>>;
    const state = outcome.state;
    const customerName = data.author_type === 'customer' ? await this.customerName(ticketId) : null;
    const channelMessage = toChannelMessage(
      {
        id: data.message_id,
        author_type: data.author_type,
        author_id: data.author_id,
        body: data.body,
        echo_id: data.echo_id,
        sender_name: data.sender_name,
        created_at: metadata.occurred_at,
      },
      { id: ticketId, inbox_id: state.inboxId, customer_id: state.customerId as string, customer: { name: customerName } },
    );
    return {
      message: {
        id: data.message_id,
        author_type: data.author_type,
        author_id: data.author_id,
        body: data.body,
        internal: data.internal,
        external_id: data.external_id,
        echo_id: data.echo_id ?? null,
        created_at: metadata.occurred_at,
      },
      channelMessage,
      ticketId,
      reopened: outcome.events.some((e) => e.type === 'TicketReopened'),
      position: outcome.position ?? 0,
    };
  }

  /** An outgoing message's sender: its author (a user of the workspace), else the workspace itself. */
  private async agentName(workspaceId: string, authorId: string | null): Promise<string | null> {
    if (authorId) await assertUser(this.readStore, workspaceId, authorId, 'author_id');
    return agentSenderName(this.readStore, workspaceId, authorId);
  }

  /** The customer's current name, as the ticket shows it (null once erased). */
  private async customerName(ticketId: string): Promise<string | null> {
    const ticket = await this.readStore.collection<TicketDocument>(TICKETS_COLLECTION).findOne({ _id: ticketId });
    return ticket?.customer.name ?? null;
  }
}
