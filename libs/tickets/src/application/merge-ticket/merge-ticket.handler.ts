import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { ticketMergeDecider } from '../../domain/ticket-merge.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { TicketAfterWriteReader, type TicketAfterWrite } from '../ticket-after-write';
import { MergeTicketCommand } from './merge-ticket.command';
import { newEntityId } from '@ledgerdesk/shared';

/**
 * POST /tickets/{id}/merge: the source is closed with merged_into_id (TicketMerged) and the
 * target gets a system message naming the source, in one atomic append to both streams. The
 * result names the target.
 */
@CommandHandler(MergeTicketCommand)
export class MergeTicketHandler implements ICommandHandler<MergeTicketCommand, TicketAfterWrite> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly after: TicketAfterWriteReader,
  ) {}

  async execute({ workspaceId, ticketId, intoTicketId, context }: MergeTicketCommand): Promise<TicketAfterWrite> {
    const outcome = await this.runner.runAcross(
      [ticketStreamId(ticketId), ticketStreamId(intoTicketId)],
      ticketMergeDecider,
      { type: 'MergeTickets', workspaceId, ticketId, intoTicketId, noteMessageId: newEntityId(context) },
      context,
    );
    return this.after.read(intoTicketId, outcome.position);
  }
}
