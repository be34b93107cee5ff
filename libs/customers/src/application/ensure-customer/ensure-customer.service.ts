import { Injectable } from '@nestjs/common';
import { claimStreamId, CommandRunner, uniqueClaimDecider, type CommandStarter } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import { customerDecider, type CustomerState } from '../../domain/customer.decider';
import { CUSTOMER_EMAIL_CLAIM, CUSTOMER_IDENTIFIER_CLAIM } from '../../domain/customer-claims.decider';
import { customerIdFor, customerIdForIdentifier, customerStreamId, normalizeEmail } from '../../domain/customer-identity';
import type { CustomerProfile } from '../../domain/customer.events';
import { newEntityId } from '@ledgerdesk/shared';

export interface EnsuredCustomer {
  id: string;
  /** A customer found or created by its email always has one. */
  profile: CustomerProfile & { email: string };
}

/** What a verified chat contact brings for a customer created for it. */
export interface IdentifiedCustomerProfile {
  name: string | null;
  phone: string | null;
  claimedEmail: string | null;
  customFields: Record<string, unknown>;
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
   * Answers once the customer is known and decided; `committed` settles when its creation is
   * durable. Alone, the email's claim is durable first, and a ticket for the customer can be
   * appended in the creation's group commit: if the creation then conflicts, another request
   * created the same customer (same id), which is all the ticket needs. In a unit of work, the
   * claim and the creation commit with the rest of the unit, or nothing does.
   */
  async begin(
    workspaceId: string,
    email: string,
    name: string | null,
    context: CommandContext,
    /** A unit of work (CommandRunner.runTogether) the claim and the creation join. */
    unit?: CommandStarter,
  ): Promise<EnsuredCustomer & { committed: Promise<number | null> }> {
    const value = normalizeEmail(email);
    // The email's owner: its derived id the first time, whoever holds it now afterwards
    // (an email given up by a customer's change of address goes to a fresh id).
    const claimCommand = {
      type: 'FindOrClaim',
      kind: 'customer',
      workspaceId,
      value,
      ownerId: customerIdFor(workspaceId, value),
      reclaimId: newEntityId(context),
    } as const;
    const claimStream = claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, value);
    // Alone, the claim is durable before its owner is acted on; in a unit, it commits with
    // whatever uses the owner, or nothing does.
    const claim = unit
      ? await unit.begin(claimStream, uniqueClaimDecider, claimCommand, context, { findOrCreate: true })
      : await this.runner.run(claimStream, uniqueClaimDecider, claimCommand, context, { findOrCreate: true });
    const id = claim.state.ownerId;
    if (!id) throw new Error(`No owner for email claim after FindOrClaim`);
    const customer = await (unit ?? this.runner).begin(
      customerStreamId(id),
      customerDecider,
      { type: 'EnsureCustomer', customerId: id, workspaceId, email, name },
      context,
      { findOrCreate: true },
    );
    const profile = customer.state.profile;
    if (!profile?.email) throw new Error(`Customer ${id} has no email after EnsureCustomer`);
    const claimPosition = 'committed' in claim ? claim.committed.then((outcome) => outcome.position) : Promise.resolve(claim.position);
    const committed = Promise.all([customer.committed, claimPosition]).then(([outcome, claimed]) => outcome.position ?? claimed);
    committed.catch(() => undefined); // awaited by the caller, possibly after its own appends
    return { id, profile: { ...profile, email: profile.email }, committed };
  }

  /**
   * Finds the workspace's customer with this identifier (a verified chat contact), creating it
   * with `profile` when new. `created` says which; an existing customer is not changed.
   */
  async ensureByIdentifier(
    workspaceId: string,
    identifier: string,
    profile: IdentifiedCustomerProfile,
    context: CommandContext,
  ): Promise<{ id: string; state: CustomerState; created: boolean; position: number | null }> {
    const claim = await this.runner.run(
      claimStreamId(CUSTOMER_IDENTIFIER_CLAIM, workspaceId, identifier),
      uniqueClaimDecider,
      {
        type: 'FindOrClaim',
        kind: 'customer',
        workspaceId,
        value: identifier,
        ownerId: customerIdForIdentifier(workspaceId, identifier),
        reclaimId: newEntityId(context),
      },
      context,
      { findOrCreate: true },
    );
    const id = claim.state.ownerId;
    if (!id) throw new Error(`No owner for identifier claim after FindOrClaim`);
    const outcome = await this.runner.run(
      customerStreamId(id),
      customerDecider,
      { type: 'EnsureIdentifiedCustomer', customerId: id, workspaceId, identifier, ...profile },
      context,
      { findOrCreate: true },
    );
    return { id, state: outcome.state, created: outcome.events.length > 0, position: outcome.position ?? claim.position };
  }
}
