import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { invalidReference } from '@ledgerdesk/shared';
import { EnsureTags } from '@ledgerdesk/tags';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketMergeDecider } from '../../domain/ticket-merge.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { TicketAfterWriteReader, type TicketAfterWrite } from '../ticket-after-write';
import { DeleteTicketCommand, MergeTicketCommand, UpdateTicketCommand, type TicketWriteResult } from './ticket-writes.commands';

/** A user of the workspace (not deleted), for assignee_id and author_id. */
export async function assertUser(readStore: ReadStore, workspaceId: string, userId: string, field: string): Promise<void> {
  const user = await readStore.collection('users').findOne({ _id: userId, workspace_id: workspaceId, deleted: { $ne: true } });
  if (!user) throw invalidReference(field, 'user');
}

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
    // Tags named on a ticket are created on first use: first ask the decider whether the update
    // would be refused (not found, If-Match, merged), so a refused request creates no tag.
    if (input.tags) ticketDecider.decide(update, (await this.runner.load(ticketStreamId(ticketId), ticketDecider)).state);
    // Tags named on a ticket are created on first use; the ticket keeps their canonical names.
    const tags = input.tags ? await this.ensureTags.ensure(workspaceId, input.tags, context) : undefined;
    const outcome = await this.runner.run(ticketStreamId(ticketId), ticketDecider, { ...update, tags }, context);
    return this.after.read(ticketId, outcome.position);
  }
}

@CommandHandler(DeleteTicketCommand)
export class DeleteTicketHandler implements ICommandHandler<DeleteTicketCommand, TicketWriteResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, ticketId, expectedVersion, context }: DeleteTicketCommand): Promise<TicketWriteResult> {
    const outcome = await this.runner.run(ticketStreamId(ticketId), ticketDecider, { type: 'DeleteTicket', workspaceId, expectedVersion }, context);
    return { ticketId, position: outcome.position, version: outcome.revision };
  }
}

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
      { type: 'MergeTickets', workspaceId, ticketId, intoTicketId, noteMessageId: randomUUID() },
      context,
    );
    return this.after.read(intoTicketId, outcome.position);
  }
}
