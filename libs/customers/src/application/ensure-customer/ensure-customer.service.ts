import { Injectable } from '@nestjs/common';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import { customerDecider } from '../../domain/customer.decider';
import { customerIdFor, customerStreamId } from '../../domain/customer-identity';
import type { CustomerProfile } from '../../domain/customer.events';

/** Finds the workspace's customer with this email, creating it when new. */
@Injectable()
export class EnsureCustomerService {
  constructor(private readonly runner: CommandRunner) {}

  async ensure(
    workspaceId: string,
    email: string,
    name: string | null,
    context: CommandContext,
  ): Promise<{ id: string; profile: CustomerProfile; position: number | null }> {
    const id = customerIdFor(workspaceId, email);
    const outcome = await this.runner.run(
      customerStreamId(id),
      customerDecider,
      { type: 'EnsureCustomer', customerId: id, workspaceId, email, name },
      context,
    );
    if (!outcome.state.profile) throw new Error(`Customer ${id} has no profile after EnsureCustomer`);
    return { id, profile: outcome.state.profile, position: outcome.position };
  }
}
