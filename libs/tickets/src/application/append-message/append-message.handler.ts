import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner, type WrittenEvent } from '@ledgerdesk/event-sourcing';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId, type TicketEvent } from '../../domain/ticket.events';
import { AppendMessageCommand } from './append-message.command';

export interface AppendMessageResult {
  message: { id: string; author_type: string; author_id: string | null; body: string; internal: boolean; external_id: string | null; created_at: string };
  ticketId: string;
  position: number;
}

@CommandHandler(AppendMessageCommand)
export class AppendMessageHandler implements ICommandHandler<AppendMessageCommand, AppendMessageResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, ticketId, input, context }: AppendMessageCommand): Promise<AppendMessageResult> {
    const outcome = await this.runner.run(
      ticketStreamId(ticketId),
      ticketDecider,
      { type: 'AppendMessage', workspaceId, messageId: randomUUID(), ...input },
      context,
    );
    // The answer is the message as written (a customer message with no named author is from the ticket's own customer).
    const { data, metadata } = outcome.events[0] as WrittenEvent<Extract<TicketEvent, { type: 'MessageAppended' }>>;
    return {
      message: {
        id: data.message_id,
        author_type: data.author_type,
        author_id: data.author_id,
        body: data.body,
        internal: data.internal,
        external_id: data.external_id,
        created_at: metadata.occurred_at,
      },
      ticketId,
      position: outcome.position ?? 0,
    };
  }
}
