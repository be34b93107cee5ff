import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { claimStreamId, CommandRunner, uniqueClaimDecider } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import { customerDecider } from '../../domain/customer.decider';
import { customerIdFor, customerStreamId, normalizeEmail } from '../../domain/customer-identity';
import type { CustomerProfile } from '../../domain/customer.events';
import { CUSTOMER_EMAIL_CLAIM } from '../customer-email-claim';

export interface EnsuredCustomer {
  id: string;
  profile: CustomerProfile;
}

/**
 * Finds the workspace's customer with this email, creating it when new: the one use case other
 * contexts run (a ticket or an intake message names its customer by email).
 */
@Injectable()
export class EnsureCustomerService {
  constructor(private readonly runner: CommandRunner) {}

  async ensure(workspaceId: string, email: string, name: string | null, context: CommandContext): Promise<EnsuredCustomer & { position: number | null }> {
    const { committed, ...customer } = await this.begin(workspaceId, email, name, context);
    return { ...customer, position: await committed };
  }

  /**
   * Answers once the customer is known (its email claimed, durably) and decided; `committed`
   * settles when its creation is durable too. A ticket for the customer can be appended
   * meanwhile, in the same group commit: if the creation then conflicts, it is because another
   * request created the same customer (same id), which is all the ticket needs.
   */
  async begin(
    workspaceId: string,
    email: string,
    name: string | null,
    context: CommandContext,
  ): Promise<EnsuredCustomer & { committed: Promise<number | null> }> {
    const value = normalizeEmail(email);
    // The email's owner: its derived id the first time, whoever holds it now afterwards
    // (an email given up by a customer's change of address goes to a fresh id).
    const claim = await this.runner.run(
      claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, value),
      uniqueClaimDecider,
      { type: 'FindOrClaim', kind: 'customer', workspaceId, value, ownerId: customerIdFor(workspaceId, value), reclaimId: randomUUID() },
      context,
      { findOrCreate: true },
    );
    const id = claim.state.ownerId;
    if (!id) throw new Error(`No owner for email claim after FindOrClaim`);
    const customer = await this.runner.begin(
      customerStreamId(id),
      customerDecider,
      { type: 'EnsureCustomer', customerId: id, workspaceId, email, name },
      context,
      { findOrCreate: true },
    );
    if (!customer.state.profile) throw new Error(`Customer ${id} has no profile after EnsureCustomer`);
    const committed = customer.committed.then((outcome) => outcome.position ?? claim.position);
    committed.catch(() => undefined); // awaited by the caller, possibly after its own appends
    return { id, profile: customer.state.profile, committed };
  }
}
