import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner, type CommandStarter } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, invalidReference, type CommandContext, newEntityId } from '@ledgerdesk/shared';
import { customerDecider, customerStreamId, EnsureCustomerService } from '@ledgerdesk/customers';
import { EnsureTags } from '@ledgerdesk/tags';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketNumberDecider, ticketNumberStreamId } from '../../domain/ticket-number.decider';
import { ticketStreamId, type CustomerSnapshot, type TicketCreatedData } from '../../domain/ticket.events';
import { ticketDocumentFromCreated, ticketDocumentWithMessage } from '../../projections/ticket.read-model';
import { toTicketView, type TicketView } from '../ticket.view';
import { CreateTicketCommand, type ContactSessionRef, type CreateTicketInput } from './create-ticket.command';

/** Subject of a channel ticket created without one (API.md section 8, call 2). */
export const channelSubject = (description: string | undefined) => (description ? Array.from(description).slice(0, 80).join('') : 'Conversation');

/** The ticket's customer: known up front, and `committed` once its creation (if any) is durable. */
interface TicketCustomer {
  snapshot: CustomerSnapshot;
  committed: Promise<unknown>;
}

export interface CreateTicketResult {
  ticket: TicketView;
  messageId: string;
  /** Log position of the last event written (the companion's, if any). */
  position: number;
}

/**
 * The contact session named by `source_id` (API.md section 8): none, or one of another
 * workspace, is a 400 naming the field, like an unknown one.
 */
function contactSessionOf(workspaceId: string, session: ContactSessionRef | null): ContactSessionRef {
  if (!session || session.workspace_id !== workspaceId) throw invalidReference('source_id', 'contact session');
  return session;
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
    const session = input.session === undefined ? null : contactSessionOf(workspaceId, input.session);
    if (session && input.inboxId && input.inboxId !== session.inbox_id) {
      throw new DomainError('VALIDATION', 'inbox_id is not the inbox of the contact session', { inbox_id: ['must be the inbox of source_id'] });
    }
    const inboxId = session ? session.inbox_id : input.inboxId;
    await this.checkReferences(workspaceId, session ? null : inboxId, input.assigneeId);
    const ticketId = options.ticketId ?? newEntityId(context);
    const messageId = newEntityId(context);
    // Tags named on a ticket are created on first use; the ticket keeps their canonical names.
    const tags = input.tags.length ? await this.ensureTags.ensure(workspaceId, input.tags, context) : [];

    // One unit of work, one group commit: the email's claim and the customer (if new), the
    // number, the ticket and its companion commit together or not at all, so a number is
    // never used without being reserved, nor a customer without its email.
    const { companion } = options;
    const written = await this.runner.runTogether(context, async (unit) => {
      const customer = session ? await this.sessionCustomer(workspaceId, session) : await this.customerByEmail(workspaceId, input, context, unit);
      const numbering = await unit.begin(ticketNumberStreamId(workspaceId), ticketNumberDecider, { type: 'ReserveTicketNumber', ticketId }, context);
      const creating = await unit.begin(
        ticketStreamId(ticketId),
        ticketDecider,
        {
          type: 'CreateTicket',
          ticketId,
          workspaceId,
          ticketNumber: numbering.state.lastNumber,
          subject: input.subject || (session ? channelSubject(input.description) : ''),
          description: input.description ?? '',
          priority: input.priority,
          source: session ? 'channel' : input.source,
          inboxId,
          customer: customer.snapshot,
          assigneeId: input.assigneeId,
          tags,
          ticketTokenHash: input.ticketTokenHash,
          ...(session ? { sourceId: session.source_id } : {}),
          ...(input.echoId ? { echoId: input.echoId } : {}),
          messageId,
          authorType: 'customer',
          authorId: customer.snapshot.id,
          externalId: input.externalId,
        },
        context,
        { newStream: true },
      );
      const companionBegun = companion ? await unit.begin(companion.streamId, companion.decider, companion.command, context, companion.options) : null;
      return { ticket: creating.committed, customer: customer.committed, companion: companionBegun?.committed ?? null };
    });
    const [outcome, , companionOutcome] = await Promise.all([written.ticket, written.customer, written.companion]);
    const position = outcome.position ?? 0;
    // The response is built from the events just written, exactly as the projection will build it.
    const [created, firstMessage] = outcome.events;
    const at = (event: { revision: number; metadata: { occurred_at: string } }) => ({
      position,
      revision: event.revision,
      occurredAt: event.metadata.occurred_at,
    });
    const doc = ticketDocumentFromCreated(created.data as TicketCreatedData, at(created));
    const ticket = firstMessage ? ticketDocumentWithMessage(doc, { internal: false }, at(firstMessage)) : doc;
    return { ticket: toTicketView(ticket), messageId, position: Math.max(position, companionOutcome?.position ?? 0) };
  }

  /** The session's customer, as its stream has it now (read-your-write after POST /customers). */
  private async sessionCustomer(workspaceId: string, session: ContactSessionRef): Promise<TicketCustomer> {
    const { state } = await this.runner.load(customerStreamId(session.customer_id), customerDecider);
    if (!state.exists || state.deleted || state.workspaceId !== workspaceId || !state.profile) throw invalidReference('source_id', 'contact session');
    const { name, email, company } = state.profile;
    return { snapshot: { id: session.customer_id, name, email, company }, committed: Promise.resolve() };
  }

  private async customerByEmail(workspaceId: string, input: CreateTicketInput, context: CommandContext, unit: CommandStarter): Promise<TicketCustomer> {
    if (!input.customerEmail)
      throw new DomainError('VALIDATION', 'customer_email or source_id is required', { customer_email: ['is required without source_id'] });
    const customer = await this.customers.begin(workspaceId, input.customerEmail, input.customerName, context, unit);
    const { name, email, company } = customer.profile;
    return { snapshot: { id: customer.id, name, email, company }, committed: customer.committed };
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
