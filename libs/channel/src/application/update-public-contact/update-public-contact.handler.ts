import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { UpdateCustomerCommand, type UpdateCustomerResult } from '@ledgerdesk/customers';
import { PublicContactSession } from '../public-contact-session';
import { customerChangesOf, toPublicContact, type PublicContactResult } from '../public-contact.view';
import { UpdatePublicContactCommand } from './update-public-contact.command';

/** The contact's own changes to its customer (an email only as claimed_email); the answer from the events written. */
@CommandHandler(UpdatePublicContactCommand)
export class UpdatePublicContactHandler implements ICommandHandler<UpdatePublicContactCommand, PublicContactResult> {
  constructor(
    private readonly contacts: PublicContactSession,
    private readonly commands: CommandBus,
  ) {}

  async execute({ inbox, sourceId, identity, changes, context }: UpdatePublicContactCommand): Promise<PublicContactResult> {
    const { session } = await this.contacts.resolve(inbox, sourceId, identity);
    const updated: UpdateCustomerResult = await this.commands.execute(
      new UpdateCustomerCommand(inbox.workspaceId, session.customer_id, customerChangesOf(changes), context),
    );
    return { contact: toPublicContact(session, updated.customer), position: updated.position };
  }
}
