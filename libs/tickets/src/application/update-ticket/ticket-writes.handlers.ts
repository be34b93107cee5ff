import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, invalidReference, notFound } from '@ledgerdesk/shared';
import { TagsService } from '@ledgerdesk/tags';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import {
  DeleteTicketCommand,
  MergeTicketCommand,
  UpdateTicketCommand,
  type TicketWriteResult,
} from './ticket-writes.commands';

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
 * POST /tickets/{id}/merge: the source is closed with merged_into_id (TicketMerged), then the
 * target gets a system message naming the source. The result names the target.
 */
@CommandHandler(MergeTicketCommand)
export class MergeTicketHandler implements ICommandHandler<MergeTicketCommand, TicketWriteResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, ticketId, intoTicketId, context }: MergeTicketCommand): Promise<TicketWriteResult> {
    if (intoTicketId === ticketId) {
      throw new DomainError('VALIDATION', 'A ticket cannot be merged into itself', { into_ticket_id: ['must name another ticket'] });
    }
    const target = await this.runner.load(ticketStreamId(intoTicketId), ticketDecider);
    if (!target.state.exists || target.state.deleted || target.state.workspaceId !== workspaceId) {
      throw invalidReference('into_ticket_id', 'ticket');
    }
    const source = await loadTicket(this.runner, workspaceId, ticketId);
    if (source.state.mergedIntoId) {
      throw new DomainError('CONFLICT', `Ticket was already merged into ${source.state.mergedIntoId}`, { merged_into_id: source.state.mergedIntoId });
    }
    if (target.state.mergedIntoId) {
      throw new DomainError('CONFLICT', `Target ticket was merged into ${target.state.mergedIntoId}`, {
        into_ticket_id: ['is itself merged'],
        merged_into_id: target.state.mergedIntoId,
      });
    }
    await this.runner.run(ticketStreamId(ticketId), ticketDecider, { type: 'MergeTicket', intoTicketId }, context);
    const note = await this.runner.run(
      ticketStreamId(intoTicketId),
      ticketDecider,
      {
        type: 'AppendMessage',
        messageId: randomUUID(),
        authorType: 'system',
        authorId: null,
        body: `Ticket #${source.state.ticketNumber} (${ticketId}) was merged into this ticket`,
        internal: false,
        externalId: null,
      },
      context,
    );
    return { ticketId: intoTicketId, position: note.position, version: note.revision };
  }
}
