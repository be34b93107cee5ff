import type { RecordedEvent } from '@ledgerdesk/event-store';
import { CommandRunner, type Reactor } from '@ledgerdesk/event-sourcing';
import type { ReadStore } from '@ledgerdesk/read-store';
import { systemContext, type CommandContext } from '@ledgerdesk/shared';
import { ticketDecider } from '../domain/ticket.decider';
import { ticketStreamId } from '../domain/ticket.events';
import { TICKETS_COLLECTION, type TicketDocument } from '../projections/ticket.read-model';

/** The users read model, by its collection name (the users context owns it). */
const USERS_COLLECTION = 'users';

/**
 * A deleted user's tickets are unassigned (TicketUnassigned on each, caused by UserDeleted).
 * A ticket assigned to the user while the deletion was being decided is caught by its own
 * TicketAssigned, once the users read model shows the user deleted. Idempotent: the decider
 * writes nothing for a ticket that is no longer assigned to the user.
 */
export class UnassignDeletedUsersReactor implements Reactor {
  readonly name = 'unassign-deleted-users';
  readonly eventTypes: ReadonlySet<string> = new Set(['UserDeleted', 'TicketAssigned']);

  constructor(
    private readonly runner: CommandRunner,
    private readonly readStore: ReadStore,
    /** Resolves once the read models have applied `position` (the queries below must see it). */
    private readonly readModelsReached: (position: number) => Promise<void>,
  ) {}

  async react(event: RecordedEvent): Promise<void> {
    await this.readModelsReached(event.position);
    if (event.type === 'UserDeleted') {
      const { user_id: userId, workspace_id: workspaceId } = event.data as { user_id: string; workspace_id: string };
      const tickets = await this.readStore
        .collection<TicketDocument>(TICKETS_COLLECTION)
        .find({ workspace_id: workspaceId, assignee_id: userId, deleted: false });
      await Promise.all(tickets.map((ticket) => this.unassign(ticket._id, userId, event)));
      return;
    }
    const { ticket_id: ticketId, assignee_id: userId } = event.data as { ticket_id: string; assignee_id: string };
    const user = await this.readStore.collection(USERS_COLLECTION).findOne({ _id: userId });
    if (user?.deleted === true) await this.unassign(ticketId, userId, event);
  }

  private async unassign(ticketId: string, userId: string, cause: RecordedEvent): Promise<void> {
    await this.runner.run(ticketStreamId(ticketId), ticketDecider, { type: 'UnassignDeletedUser', userId }, reactionContext(cause));
  }
}

/** A reaction is the system's act, in the workspace and correlation of the event that caused it. */
function reactionContext(cause: RecordedEvent): CommandContext {
  return {
    ...systemContext(cause.metadata.workspace_id),
    correlationId: cause.metadata.correlation_id ?? cause.id,
    causationId: cause.id,
  };
}
