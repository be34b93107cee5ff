import { fold, uniqueClaimDecider, type ClaimEvent, type ClaimState, type MultiStreamDecider } from '@ledgerdesk/event-sourcing';
import { DomainError } from '@ledgerdesk/shared';

/** The kinds of unique claim that keep a customer's email and identifier unique within its workspace. */
export const CUSTOMER_EMAIL_CLAIM = 'customer_email';
export const CUSTOMER_IDENTIFIER_CLAIM = 'customer_identifier';

export type CustomerClaimField = 'email' | 'identifier';

/**
 * Claims a customer's unique values (email, identifier) in one decision over their claim
 * streams, in the order given: all of them or none, so a clash on one writes nothing.
 * `owner` is the customer claiming them; a new customer named by its email takes the id its
 * email derives (`derived`, or `reclaimId` when the email was given up before): the email
 * must then come first, the other values go to the same id.
 */
export interface ClaimCustomerValues {
  workspaceId: string;
  claims: Array<{ field: CustomerClaimField; value: string }>;
  owner: { id: string } | { derived: string; reclaimId: string };
}

function decide(command: ClaimCustomerValues, states: ClaimState[]): ClaimEvent[][] {
  let ownerId = 'id' in command.owner ? command.owner.id : null;
  return command.claims.map(({ field, value }, i) => {
    const claim = {
      type: 'Claim' as const,
      // The claim events' kind stays `customer` for both values: erasure finds them by it.
      kind: 'customer',
      workspaceId: command.workspaceId,
      value,
      ownerId: ownerId ?? (command.owner as { derived: string }).derived,
      reclaimId: ownerId ? undefined : (command.owner as { reclaimId: string }).reclaimId,
    };
    let events: ClaimEvent[];
    try {
      events = uniqueClaimDecider.decide(claim, states[i]);
    } catch (error) {
      throw asFieldConflict(error, field);
    }
    ownerId ??= fold(uniqueClaimDecider, events, states[i]).ownerId;
    return events;
  });
}

/** The claim decider's conflict, in the customers API's words: which field clashed. */
function asFieldConflict(error: unknown, field: CustomerClaimField): unknown {
  if (!(error instanceof DomainError) || error.code !== 'CONFLICT') return error;
  return new DomainError('CONFLICT', `A customer with this ${field} already exists`, {
    ...error.details,
    [field]: [`a customer with this ${field} already exists`],
  });
}

export const customerClaimsDecider: MultiStreamDecider<ClaimCustomerValues, ClaimEvent, ClaimState> = {
  decide,
  evolve: uniqueClaimDecider.evolve,
  initialState: uniqueClaimDecider.initialState,
};
