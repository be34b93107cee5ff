import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { customerDecider, initialCustomerState, type CustomerCommand } from '../../domain/customer.decider';
import { customerStreamId, normalizeEmail } from '../../domain/customer-identity';
import { claimCustomerValues } from '../customer-claims';
import { customerViewOf, type CustomerView } from '../customer.view';
import { CreateCustomerCommand } from './create-customer.command';

export interface CreateCustomerResult {
  customer: CustomerView;
  /** Log position of the customer's creation. */
  position: number | null;
}

/**
 * POST /customers: claims the email and the identifier in the workspace together (409 naming
 * the field when one is taken, nothing written), then creates the customer.
 */
@CommandHandler(CreateCustomerCommand)
export class CreateCustomerHandler implements ICommandHandler<CreateCustomerCommand, CreateCustomerResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, customer, context }: CreateCustomerCommand): Promise<CreateCustomerResult> {
    const email = customer.email === null ? null : normalizeEmail(customer.email);
    const identifier = customer.identifier ?? null;
    const create = (customerId: string): CustomerCommand => ({
      type: 'CreateCustomer',
      customerId,
      workspaceId,
      email,
      identifier,
      claimedEmail: customer.claimedEmail ?? null,
      name: customer.name,
      phone: customer.phone,
      company: customer.company,
      customFields: customer.customFields,
    });
    // Ask the decider first: a customer it refuses (a blank identifier) claims nothing.
    customerDecider.decide(create(''), initialCustomerState);
    const { ownerId: id } = await claimCustomerValues(this.runner, workspaceId, { email, identifier }, context);
    const outcome = await this.runner.run(customerStreamId(id), customerDecider, create(id), context);
    // Built from the event just written, as the projection builds it; a new customer has no tickets.
    return { customer: customerViewOf(outcome.state, 0), position: outcome.position };
  }
}
