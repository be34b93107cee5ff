import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, invalidReference, notFound } from '@ledgerdesk/shared';
import { TagsService } from '@ledgerdesk/tags';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketMergeDecider } from '../../domain/ticket-merge.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { DeleteTicketCommand, MergeTicketCommand, UpdateTicketCommand, type TicketWriteResult } from './ticket-writes.commands';

/** A user of the workspace (not deleted), for assignee_id and author_id. */
export async function assertUser(readStore: ReadStore, workspaceId: string, userId: string, field: string): Promise<void> {
  const user = await readStore.collection('users').findOne({ _id: userId, workspace_id: workspaceId, deleted: { $ne: true } });
  if (!user) throw invalidReference(field, 'user');
}

async function loadTicket(runner: CommandRunner, workspaceId: string, ticketId: string) {
  const current = await runner.load(ticketStreamId(ticketId), ticketDecider);
  // Another workspace's ticket is indistinguishable from a missing one.
  if (!current.state.exists || current.state.deleted || current.state.workspaceId !== workspaceId) throw notFound('Ticket');
  return current;
}

/** PATCH /tickets/{id}: one event per kind of change. */
@CommandHandler(UpdateTicketCommand)
export class UpdateTicketHandler implements ICommandHandler<UpdateTicketCommand, TicketWriteResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly tagsService: TagsService,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, ticketId, input, expectedVersion, context }: UpdateTicketCommand): Promise<TicketWriteResult> {
    if (input.assigneeId) await assertUser(this.readStore, workspaceId, input.assigneeId, 'assignee_id');
    const current = await loadTicket(this.runner, workspaceId, ticketId);
    if (expectedVersion !== undefined && expectedVersion !== current.revision) {
      throw new DomainError('PRECONDITION_FAILED', `Ticket version is ${current.revision}, not ${expectedVersion}`, { current_version: current.revision });
    }
    if (current.state.mergedIntoId) {
      throw new DomainError('CONFLICT', `Ticket was merged into ${current.state.mergedIntoId}`, { merged_into_id: current.state.mergedIntoId });
    }
    // Tags named on a ticket are created on first use; the ticket keeps their canonical names.
    const tags = input.tags ? await this.tagsService.ensure(workspaceId, input.tags, context) : undefined;
    const outcome = await this.runner.run(ticketStreamId(ticketId), ticketDecider, { type: 'UpdateTicket', expectedVersion, ...input, tags }, context);
    return { ticketId, position: outcome.position, version: outcome.revision };
  }
}

@CommandHandler(DeleteTicketCommand)
export class DeleteTicketHandler implements ICommandHandler<DeleteTicketCommand, TicketWriteResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, ticketId, expectedVersion, context }: DeleteTicketCommand): Promise<TicketWriteResult> {
    await loadTicket(this.runner, workspaceId, ticketId);
    const outcome = await this.runner.run(ticketStreamId(ticketId), ticketDecider, { type: 'DeleteTicket', expectedVersion }, context);
    return { ticketId, position: outcome.position, version: outcome.revision };
  }
}

/**
 * POST /tickets/{id}/merge: the source is closed with merged_into_id (TicketMerged) and the
 * target gets a system message naming the source, in one atomic append to both streams. The
 * result names the target.
 */
@CommandHandler(MergeTicketCommand)
export class MergeTicketHandler implements ICommandHandler<MergeTicketCommand, TicketWriteResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, ticketId, intoTicketId, context }: MergeTicketCommand): Promise<TicketWriteResult> {
    const outcome = await this.runner.runAcross(
      [ticketStreamId(ticketId), ticketStreamId(intoTicketId)],
      ticketMergeDecider,
      { type: 'MergeTickets', workspaceId, ticketId, intoTicketId, noteMessageId: randomUUID() },
      context,
    );
    return { ticketId: intoTicketId, position: outcome.position, version: outcome.streams[1].revision };
  }
}
