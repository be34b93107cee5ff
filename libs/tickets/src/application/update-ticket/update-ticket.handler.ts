import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { EnsureTags } from '@ledgerdesk/tags';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { assertUser } from '../assert-user';
import { TicketAfterWriteReader, type TicketAfterWrite } from '../ticket-after-write';
import { UpdateTicketCommand } from './update-ticket.command';

/** PATCH /tickets/{id}: one event per kind of change. */
@CommandHandler(UpdateTicketCommand)
export class UpdateTicketHandler implements ICommandHandler<UpdateTicketCommand, TicketAfterWrite> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly after: TicketAfterWriteReader,
    private readonly ensureTags: EnsureTags,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, ticketId, input, expectedVersion, context }: UpdateTicketCommand): Promise<TicketAfterWrite> {
    if (input.assigneeId) await assertUser(this.readStore, workspaceId, input.assigneeId, 'assignee_id');
    const update = { type: 'UpdateTicket' as const, workspaceId, expectedVersion, ...input };
    // Tags named on a ticket are created on first use (the ticket keeps their canonical names):
    // first ask the decider whether the update would be refused (not found, If-Match, merged),
    // so that a refused request creates no tag.
    if (input.tags) ticketDecider.decide(update, (await this.runner.load(ticketStreamId(ticketId), ticketDecider)).state);
    const tags = input.tags ? await this.ensureTags.ensure(workspaceId, input.tags, context) : undefined;
    const outcome = await this.runner.run(ticketStreamId(ticketId), ticketDecider, { ...update, tags }, context);
    return this.after.read(ticketId, outcome.position);
  }
}
