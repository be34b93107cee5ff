import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { invalidReference } from '@ledgerdesk/shared';
import { EnsureCustomerService } from '@ledgerdesk/customers';
import { EnsureTags } from '@ledgerdesk/tags';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketNumberDecider, ticketNumberStreamId } from '../../domain/ticket-number.decider';
import { ticketStreamId, type TicketCreatedData } from '../../domain/ticket.events';
import { ticketDocumentFromCreated } from '../../projections/ticket.read-model';
import { toTicketView, type TicketView } from '../ticket.view';
import { CreateTicketCommand } from './create-ticket.command';

export interface CreateTicketResult {
  ticket: TicketView;
  messageId: string;
  /** Log position of the last event written (the companion's, if any). */
  position: number;
}

@CommandHandler(CreateTicketCommand)
export class CreateTicketHandler implements ICommandHandler<CreateTicketCommand, CreateTicketResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly customers: EnsureCustomerService,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    private readonly ensureTags: EnsureTags,
  ) {}

  async execute({ workspaceId, input, context, options }: CreateTicketCommand): Promise<CreateTicketResult> {
    await this.checkReferences(workspaceId, input.inboxId, input.assigneeId);
    const ticketId = options.ticketId ?? randomUUID();
    const messageId = randomUUID();
    // Tags named on a ticket are created on first use; the ticket keeps their canonical names.
    const tags = input.tags.length ? await this.ensureTags.ensure(workspaceId, input.tags, context) : [];

    // Independent streams: claim the customer's email and reserve the number in one group
    // commit; then the customer (if new) and the ticket in the next one.
    const [customer, numbering] = await Promise.all([
      this.customers.begin(workspaceId, input.customerEmail, input.customerName, context),
      this.runner.run(ticketNumberStreamId(workspaceId), ticketNumberDecider, { type: 'ReserveTicketNumber', ticketId }, context),
    ]);
    const ticketNumber = numbering.state.lastNumber;

    const creating = this.runner.run(
      ticketStreamId(ticketId),
      ticketDecider,
      {
        type: 'CreateTicket',
        ticketId,
        workspaceId,
        ticketNumber,
        subject: input.subject,
        description: input.description,
        priority: input.priority,
        source: input.source,
        inboxId: input.inboxId,
        customer: { id: customer.id, name: customer.profile.name, email: customer.profile.email, company: customer.profile.company },
        assigneeId: input.assigneeId,
        tags,
        ticketTokenHash: input.ticketTokenHash,
        messageId,
        authorType: 'customer',
        authorId: customer.id,
        externalId: input.externalId,
      },
      context,
      { newStream: true },
    );
    // Queued in the same tick as the ticket's append: both land in the same group commit.
    const { companion } = options;
    const companionDone = companion ? this.runner.run(companion.streamId, companion.decider, companion.command, context, companion.options) : null;
    const [outcome, , companionOutcome] = await Promise.all([creating, customer.committed, companionDone]);
    const created = outcome.events[0];
    const position = outcome.position ?? 0;
    // The response is built from the event just written, exactly as the projection will build it.
    const doc = ticketDocumentFromCreated(created.data as TicketCreatedData, {
      position,
      revision: created.revision,
      occurredAt: created.metadata.occurred_at,
    });
    return { ticket: toTicketView(doc), messageId, position: Math.max(position, companionOutcome?.position ?? 0) };
  }

  /** Body references that are unknown or belong to another workspace: 400 naming the field. */
  private async checkReferences(workspaceId: string, inboxId: string | null, assigneeId: string | null) {
    if (inboxId && !(await this.readStore.collection('inboxes').findOne({ _id: inboxId, workspace_id: workspaceId }))) {
      throw invalidReference('inbox_id', 'inbox');
    }
    if (assigneeId && !(await this.readStore.collection('users').findOne({ _id: assigneeId, workspace_id: workspaceId, deleted: { $ne: true } }))) {
      throw invalidReference('assignee_id', 'user');
    }
  }
}
