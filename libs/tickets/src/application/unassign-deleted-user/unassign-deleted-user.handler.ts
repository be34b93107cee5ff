import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { TICKETS_COLLECTION, type TicketDocument } from '../../projections/ticket.read-model';
import { UnassignDeletedUserCommand } from './unassign-deleted-user.command';

export interface UnassignDeletedUserResult {
  unassigned: number;
  /** Log position of the last event written (null: none). */
  position: number | null;
}

/**
 * Finds the user's tickets in the read model and unassigns each on its stream; the decider
 * skips a ticket that was reassigned since the read model saw it.
 */
@CommandHandler(UnassignDeletedUserCommand)
export class UnassignDeletedUserHandler implements ICommandHandler<UnassignDeletedUserCommand, UnassignDeletedUserResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, userId, context }: UnassignDeletedUserCommand): Promise<UnassignDeletedUserResult> {
    const tickets = await this.readStore
      .collection<TicketDocument>(TICKETS_COLLECTION)
      .find({ workspace_id: workspaceId, assignee_id: userId, deleted: false });
    const outcomes = await Promise.all(
      tickets.map((ticket) => this.runner.run(ticketStreamId(ticket._id), ticketDecider, { type: 'UnassignDeletedUser', userId }, context)),
    );
    const positions = outcomes.map((o) => o.position).filter((p): p is number => p !== null);
    return { unassigned: positions.length, position: positions.length ? Math.max(...positions) : null };
  }
}
