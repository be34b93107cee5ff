import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import { customerDecider } from '../../domain/customer.decider';
import { customerIdFor, customerStreamId, normalizeEmail } from '../../domain/customer-identity';
import type { CustomerProfile } from '../../domain/customer.events';
import { claimStreamId, uniqueClaimDecider } from '../../shared/unique-claim.decider';

export const CUSTOMER_EMAIL_CLAIM = 'customer_email';

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
    const value = normalizeEmail(email);
    // The email's owner: its derived id the first time, whoever holds it now afterwards
    // (an email given up by a customer's change of address goes to a fresh id).
    const claim = await this.runner.run(
      claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, value),
      uniqueClaimDecider,
      { type: 'FindOrClaim', kind: 'customer', workspaceId, value, ownerId: customerIdFor(workspaceId, value), reclaimId: randomUUID() },
      context,
    );
    const id = claim.state.ownerId;
    if (!id) throw new Error(`No owner for email claim after FindOrClaim`);
    const outcome = await this.runner.run(
      customerStreamId(id),
      customerDecider,
      { type: 'EnsureCustomer', customerId: id, workspaceId, email, name },
      context,
    );
    if (!outcome.state.profile) throw new Error(`Customer ${id} has no profile after EnsureCustomer`);
    return { id, profile: outcome.state.profile, position: outcome.position ?? claim.position };
  }
}
