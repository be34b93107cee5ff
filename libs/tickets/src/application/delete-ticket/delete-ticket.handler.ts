import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { DeleteTicketCommand, type DeleteTicketResult } from './delete-ticket.command';

/** DELETE /tickets/{id}: TicketDeleted; later reads and writes 404, the history stays. */
@CommandHandler(DeleteTicketCommand)
export class DeleteTicketHandler implements ICommandHandler<DeleteTicketCommand, DeleteTicketResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, ticketId, expectedVersion, context }: DeleteTicketCommand): Promise<DeleteTicketResult> {
    const outcome = await this.runner.run(ticketStreamId(ticketId), ticketDecider, { type: 'DeleteTicket', workspaceId, expectedVersion }, context);
    return { ticketId, position: outcome.position, version: outcome.revision };
  }
}
