import { CommandBus, CommandHandler, QueryBus, type ICommandHandler } from '@nestjs/cqrs';
import {
  CreateCustomerCommand,
  EnsureCustomerService,
  UpdateCustomerCommand,
  type CreateCustomerResult,
  type UpdateCustomerResult,
} from '@ledgerdesk/customers';
import { GetInboxHmacTokenQuery } from '@ledgerdesk/inboxes';
import { DomainError, isVisibleTo, notFound, type CommandContext } from '@ledgerdesk/shared';
import { identifyNewContact, type ContactIdentity } from '../../domain/contact-identity';
import { ContactSessions } from '../contact-sessions';
import { customerChangesOf, toPublicContact, type PublicContactProfile, type PublicContactResult } from '../public-contact.view';
import { CreatePublicContactCommand } from './create-public-contact.command';

type ContactCustomer = { id: string; name: string | null; email: string | null; claimed_email: string | null; position: number | null };

/**
 * Identity first (API.md section 9): an identifier counts only with a valid hash (else 401), and
 * then the session belongs to the customer with that identifier, created if new, so every
 * device of that person shares its conversations. Without one, a new customer every time: an
 * email typed here is only claimed, so nobody reaches another customer's conversations by
 * typing their address.
 */
@CommandHandler(CreatePublicContactCommand)
export class CreatePublicContactHandler implements ICommandHandler<CreatePublicContactCommand, PublicContactResult> {
  constructor(
    private readonly sessions: ContactSessions,
    private readonly customers: EnsureCustomerService,
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  async execute({ inbox, identity: claimed, contact, context }: CreatePublicContactCommand): Promise<PublicContactResult> {
    const inboxState = await this.sessions.inbox(inbox.inboxId);
    if (!isVisibleTo(inboxState, inbox.workspaceId)) throw notFound('Inbox');
    const hasIdentifier = claimed.identifier !== undefined && claimed.identifier !== null;
    const token: string | null = hasIdentifier ? await this.queries.execute(new GetInboxHmacTokenQuery(inbox.inboxId)) : null;
    const identity = identifyNewContact(claimed, { hmacToken: token, hmacMandatory: inboxState.channel?.hmac_mandatory ?? false });

    const customer = await this.customerFor(inbox.workspaceId, identity, contact, context);
    const { session, position } = await this.sessions.open(
      { workspaceId: inbox.workspaceId, customerId: customer.id, inboxId: inbox.inboxId, hmacVerified: identity.verified },
      context,
    );
    return { contact: toPublicContact(session, customer), position: position ?? customer.position };
  }

  private async customerFor(workspaceId: string, identity: ContactIdentity, contact: PublicContactProfile, context: CommandContext): Promise<ContactCustomer> {
    if (!identity.verified) {
      const created: CreateCustomerResult = await this.commands.execute(
        new CreateCustomerCommand(
          workspaceId,
          {
            email: null,
            claimedEmail: contact.email ?? null,
            name: contact.name ?? null,
            phone: contact.phone ?? null,
            company: null,
            customFields: contact.customAttributes ?? {},
          },
          context,
        ),
      );
      return { ...created.customer, position: created.position };
    }
    const ensured = await this.customers.ensureByIdentifier(
      workspaceId,
      identity.identifier,
      { name: contact.name ?? null, phone: contact.phone ?? null, claimedEmail: contact.email ?? null, customFields: contact.customAttributes ?? {} },
      context,
    );
    // Erased, its identifier not yet given up (a crash between the two): nothing to attach to now.
    if (ensured.state.deleted) throw new DomainError('CONFLICT', 'The customer with this identifier is being erased; retry the request');
    const changes = customerChangesOf(contact);
    if (!ensured.created && Object.keys(changes).length > 0) {
      // The verified person, on another device: what it says about itself now updates its customer.
      const updated: UpdateCustomerResult = await this.commands.execute(new UpdateCustomerCommand(workspaceId, ensured.id, changes, context));
      return { ...updated.customer, position: updated.position ?? ensured.position };
    }
    const profile = ensured.state.profile;
    return {
      id: ensured.id,
      name: profile?.name ?? null,
      email: profile?.email ?? null,
      claimed_email: profile?.claimed_email ?? null,
      position: ensured.position,
    };
  }
}
