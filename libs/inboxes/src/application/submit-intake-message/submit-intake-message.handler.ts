import { Inject } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { EnsureCustomerService } from '@ledgerdesk/customers';
import { DomainError, generateSecretKey, hashSecret, newEntityId } from '@ledgerdesk/shared';
import {
  AppendMessageCommand,
  CreateTicketCommand,
  ticketDecider,
  ticketStreamId,
  type AppendMessageResult,
  type CreateTicketResult,
} from '@ledgerdesk/tickets';
import { TICKET_TOKEN_PREFIX, ticketTokenDecider, ticketTokenStreamId } from '../../domain/ticket-token';
import { INBOXES_COLLECTION, type InboxDocument } from '../../projections/inboxes.projection';
import { SubmitIntakeMessageCommand, type IntakeMessageInput } from './submit-intake-message.command';

export interface IntakeResult {
  ticketId: string;
  ticketToken: string;
  messageId: string;
  created: boolean;
  position: number;
}

/** Subject of a ticket created without one: the first 80 characters of the message. */
export const defaultSubject = (message: string) => Array.from(message).slice(0, 80).join('');

const forbiddenToken = () => new DomainError('FORBIDDEN', 'ticketToken is unknown or belongs to another inbox');

@CommandHandler(SubmitIntakeMessageCommand)
export class SubmitIntakeMessageHandler implements ICommandHandler<SubmitIntakeMessageCommand, IntakeResult> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly commands: CommandBus,
    private readonly customers: EnsureCustomerService,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, inboxId, input, context }: SubmitIntakeMessageCommand): Promise<IntakeResult> {
    // The read model, not the inbox's stream: a read of the log costs more than the rest of the
    // check. A disable takes effect at once in this process (PATCH answers once it is
    // projected) and within the projector's lag in others.
    const inbox = await this.readStore.collection<InboxDocument>(INBOXES_COLLECTION).findOne({ _id: inboxId, workspace_id: workspaceId });
    if (!inbox || !inbox.enabled) throw new DomainError('NOT_FOUND', 'Inbox not found or disabled');
    return input.ticketToken ? this.reply(workspaceId, inboxId, input.ticketToken, input, context) : this.create(workspaceId, inboxId, input, context);
  }

  private async create(workspaceId: string, inboxId: string, input: IntakeMessageInput, context: SubmitIntakeMessageCommand['context']) {
    const ticketToken = generateSecretKey(TICKET_TOKEN_PREFIX, undefined, context);
    const tokenHash = hashSecret(ticketToken);
    const ticketId = newEntityId(context);
    // The token is issued in the ticket's group commit and returned only once both are durable.
    // Should the ticket's append fail on its own, the token names no ticket, but nobody holds it.
    const result: CreateTicketResult = await this.commands.execute(
      new CreateTicketCommand(
        workspaceId,
        {
          subject: input.subject ?? defaultSubject(input.message),
          description: input.message,
          customerEmail: input.email,
          customerName: input.name,
          priority: 'medium',
          tags: [],
          inboxId,
          assigneeId: null,
          source: 'intake',
          ticketTokenHash: tokenHash,
          externalId: input.externalId,
        },
        context,
        {
          ticketId,
          companion: {
            streamId: ticketTokenStreamId(tokenHash),
            decider: ticketTokenDecider,
            command: { type: 'IssueTicketToken', tokenHash, ticketId, inboxId, workspaceId },
            options: { newStream: true }, // the token was generated just now
          },
        },
      ),
    );
    return { ticketId, ticketToken, messageId: result.messageId, created: true, position: result.position };
  }

  private async reply(
    workspaceId: string,
    inboxId: string,
    ticketToken: string,
    input: IntakeMessageInput,
    context: SubmitIntakeMessageCommand['context'],
  ): Promise<IntakeResult> {
    const tokenHash = hashSecret(ticketToken);
    const token = await this.runner.load(ticketTokenStreamId(tokenHash), ticketTokenDecider);
    const ticketId = token.state.ticketId;
    if (!ticketId || token.state.inboxId !== inboxId || token.state.workspaceId !== workspaceId) throw forbiddenToken();

    const ticket = await this.runner.load(ticketStreamId(ticketId), ticketDecider);
    if (!ticket.state.exists || ticket.state.workspaceId !== workspaceId) throw forbiddenToken();
    // The token holder cannot see ticket ids: a gone ticket is a state conflict, not a 404.
    if (ticket.state.mergedIntoId) throw mergedInto(ticket.state.mergedIntoId);
    if (ticket.state.deleted) throw deletedTicket();

    // The message joins the group commit of the customer's creation (if new).
    const customer = await this.customers.begin(workspaceId, input.email, input.name, context);
    let result: AppendMessageResult;
    try {
      result = await this.commands.execute(
        new AppendMessageCommand(
          workspaceId,
          ticketId,
          { body: input.message, authorType: 'customer', authorId: customer.id, internal: false, externalId: input.externalId },
          context,
        ),
      );
    } catch (error) {
      // Deleted between the check and the append.
      if (error instanceof DomainError && error.code === 'NOT_FOUND') throw deletedTicket();
      throw error;
    }
    await customer.committed;
    return { ticketId, ticketToken, messageId: result.message.id, created: false, position: result.position };
  }
}

const mergedInto = (mergedIntoId: string) => new DomainError('CONFLICT', `Ticket was merged into ${mergedIntoId}`, { merged_into_id: mergedIntoId });
const deletedTicket = () => new DomainError('CONFLICT', 'Ticket was deleted', { deleted: true });
