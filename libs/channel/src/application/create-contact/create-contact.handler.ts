import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CreateCustomerCommand, type CreateCustomerResult, type CustomerView } from '@ledgerdesk/customers';
import { invalidReference, isVisibleTo } from '@ledgerdesk/shared';
import { toContactInbox } from '../contact-session.view';
import { ContactSessions } from '../contact-sessions';
import { CreateContactCommand } from './create-contact.command';

export interface CreateContactResult {
  customer: CustomerView;
  /** Log position of the session's opening (the last event written). */
  position: number | null;
}

/**
 * The customer first, then its session (two appends, in that order): the inbox is checked
 * before anything is written, so a bad inbox_id (400) or a clash (409) leaves nothing behind.
 * The answer is built from the events written, its `contact_inboxes` holding the new session.
 */
@CommandHandler(CreateContactCommand)
export class CreateContactHandler implements ICommandHandler<CreateContactCommand, CreateContactResult> {
  constructor(
    private readonly commands: CommandBus,
    private readonly sessions: ContactSessions,
  ) {}

  async execute({ workspaceId, customer, inboxId, context }: CreateContactCommand): Promise<CreateContactResult> {
    if (!isVisibleTo(await this.sessions.inbox(inboxId), workspaceId)) throw invalidReference('inbox_id', 'inbox');
    const created: CreateCustomerResult = await this.commands.execute(new CreateCustomerCommand(workspaceId, customer, context));
    const { session, position } = await this.sessions.open({ workspaceId, customerId: created.customer.id, inboxId, hmacVerified: false }, context);
    return { customer: { ...created.customer, contact_inboxes: [toContactInbox(session)] }, position: position ?? created.position };
  }
}
