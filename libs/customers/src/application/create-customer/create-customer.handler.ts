import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { customerDecider } from '../../domain/customer.decider';
import { customerStreamId, normalizeEmail } from '../../domain/customer-identity';
import { claimCustomerEmail } from '../customer-email-claim';
import { customerViewOf, type CustomerView } from '../customer.view';
import { CreateCustomerCommand } from './create-customer.command';

export interface CreateCustomerResult {
  customer: CustomerView;
  /** Log position of the customer's creation. */
  position: number | null;
}

/** POST /customers: claims the email in the workspace (409 when taken), then creates the customer. */
@CommandHandler(CreateCustomerCommand)
export class CreateCustomerHandler implements ICommandHandler<CreateCustomerCommand, CreateCustomerResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, customer, context }: CreateCustomerCommand): Promise<CreateCustomerResult> {
    const email = normalizeEmail(customer.email);
    const claim = await claimCustomerEmail(this.runner, workspaceId, email, context);
    const id = claim.state.ownerId as string;
    const outcome = await this.runner.run(
      customerStreamId(id),
      customerDecider,
      {
        type: 'CreateCustomer',
        customerId: id,
        workspaceId,
        email,
        name: customer.name,
        phone: customer.phone,
        company: customer.company,
        customFields: customer.customFields,
      },
      context,
    );
    // Built from the event just written, as the projection builds it; a new customer has no tickets.
    return { customer: customerViewOf(outcome.state, 0), position: outcome.position };
  }
}
