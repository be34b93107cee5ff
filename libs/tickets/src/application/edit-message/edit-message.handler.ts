import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledgerdesk/event-store';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId, type MessageData, type TicketCreatedData, type TicketEvent } from '../../domain/ticket.events';
import { TICKETS_COLLECTION, type TicketDocument } from '../../projections/ticket.read-model';
import { toChannelMessage, type ChannelMessageSource, type ChannelMessageView } from '../channel-message.view';
import { EditMessageCommand } from './edit-message.command';

export interface EditMessageResult {
  message: ChannelMessageView;
  /** Log position of the edit (null: the body was unchanged, nothing was written). */
  position: number | null;
}

type EditedData = Extract<TicketEvent, { type: 'MessageEdited' }>['data'];

@CommandHandler(EditMessageCommand)
export class EditMessageHandler implements ICommandHandler<EditMessageCommand, EditMessageResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ input }: EditMessageCommand): Promise<EditMessageResult> {
    const { workspaceId, ticketId, messageId, body, editorCustomerId, context } = input;
    const outcome = await this.runner.run(
      ticketStreamId(ticketId),
      ticketDecider,
      { type: 'EditMessage', workspaceId, messageId, body, editorCustomerId },
      context,
    );
    // The answer is the message as the ticket's history now has it: its creation, then its edits.
    const history = await this.eventStore.readStream(ticketStreamId(ticketId));
    const message = messageFrom(history, messageId);
    if (!message) throw notFound('Message');
    const ticket = await this.readStore.collection<TicketDocument>(TICKETS_COLLECTION).findOne({ _id: ticketId });
    const view = toChannelMessage(message, {
      id: ticketId,
      inbox_id: outcome.state.inboxId,
      customer_id: outcome.state.customerId as string,
      customer: { name: ticket?.customer.name ?? null },
    });
    return { message: view, position: outcome.events.length ? (outcome.position ?? null) : null };
  }
}

/** One message folded from the stream: the event that added it, then its MessageEdited events. */
function messageFrom(history: RecordedEvent[], messageId: string): ChannelMessageSource | null {
  let message: ChannelMessageSource | null = null;
  for (const event of history) {
    const added =
      event.type === 'TicketCreated'
        ? (event.data as unknown as TicketCreatedData).message
        : event.type === 'MessageAppended'
          ? (event.data as unknown as MessageData)
          : null;
    if (added?.message_id === messageId) {
      message = {
        id: added.message_id,
        author_type: added.author_type,
        author_id: added.author_id,
        body: added.body,
        echo_id: added.echo_id ?? null,
        sender_name: added.sender_name ?? null,
        edited_at: null,
        created_at: event.metadata.occurred_at,
      };
    } else if (message !== null && event.type === 'MessageEdited') {
      const edit = event.data as unknown as EditedData;
      if (edit.message_id === messageId) message = Object.assign({}, message, { body: edit.body, edited_at: event.metadata.occurred_at });
    }
  }
  return message;
}
