import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { notFound } from '@ledgerdesk/shared';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId } from '../../domain/ticket.events';
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
    const streamId = ticketStreamId(ticketId);
    const current = await this.runner.load(streamId, ticketDecider);
    // Another workspace's ticket is indistinguishable from a missing one.
    if (!current.state.exists || current.state.workspaceId !== workspaceId) throw notFound('Ticket');
    const messageId = randomUUID();
    // A customer message with no named author is from the ticket's own customer.
    const authorId = input.authorId ?? (input.authorType === 'customer' ? current.state.customerId : null);
    const outcome = await this.runner.run(streamId, ticketDecider, { type: 'AppendMessage', messageId, ...input, authorId }, context);
    return {
      message: {
        id: messageId,
        author_type: input.authorType,
        author_id: authorId,
        body: input.body,
        internal: input.internal,
        external_id: input.externalId,
        created_at: context.now,
      },
      ticketId,
      position: outcome.position ?? 0,
    };
  }
}
