import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { customerDecider } from '../../domain/customer.decider';
import { customerStreamId } from '../../domain/customer-identity';
import { releaseCustomerValues } from '../customer-claims';
import { DeleteCustomerCommand } from './delete-customer.command';

export interface DeleteCustomerResult {
  /** Log position of the last event written (the deletion, or the email's release). */
  position: number | null;
}

/**
 * DELETE /customers/{id}: erasure. CustomerDeleted (recording who asked) makes the projections
 * drop the customer's personal data; then the email and identifier are given up, so they can name a new customer.
 */
@CommandHandler(DeleteCustomerCommand)
export class DeleteCustomerHandler implements ICommandHandler<DeleteCustomerCommand, DeleteCustomerResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, customerId, context }: DeleteCustomerCommand): Promise<DeleteCustomerResult> {
    const outcome = await this.runner.run(
      customerStreamId(customerId),
      customerDecider,
      { type: 'DeleteCustomer', workspaceId, requestedBy: context.actor },
      context,
    );
    let position = outcome.position;
    // The state keeps the profile it had: the email and identifier this customer held until now.
    const profile = outcome.state.profile;
    position =
      (await releaseCustomerValues(this.runner, workspaceId, { email: profile?.email, identifier: profile?.identifier }, customerId, context)) ?? position;
    return { position };
  }
}
