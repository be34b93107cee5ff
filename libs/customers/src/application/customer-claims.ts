import { claimStreamId, uniqueClaimDecider, type CommandRunner } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import {
  CUSTOMER_EMAIL_CLAIM,
  CUSTOMER_IDENTIFIER_CLAIM,
  customerClaimsDecider,
  type ClaimCustomerValues,
  type CustomerClaimField,
} from '../domain/customer-claims.decider';
import { customerIdFor } from '../domain/customer-identity';
import { newEntityId } from '@ledgerdesk/shared';

/** A customer's unique values; absent or null: nothing to claim (or release). */
export interface CustomerUniqueValues {
  /** Normalized. */
  email?: string | null;
  identifier?: string | null;
}

const KIND: Record<CustomerClaimField, string> = { email: CUSTOMER_EMAIL_CLAIM, identifier: CUSTOMER_IDENTIFIER_CLAIM };

const claimsOf = (values: CustomerUniqueValues) =>
  (['email', 'identifier'] as const).flatMap((field) => {
    const value = values[field];
    return value ? [{ field, value }] : [];
  });

/**
 * Claims a customer's email and identifier together (a 409 naming the field when one is
 * taken, and then nothing is written), for `ownerId`, or, when omitted, for the id the email
 * derives (a fresh one if the email was given up before; a random one without an email).
 * Answers the owner's id and the log position of the claims (null when nothing was written).
 */
export async function claimCustomerValues(
  runner: CommandRunner,
  workspaceId: string,
  values: CustomerUniqueValues,
  context: CommandContext,
  ownerId?: string,
): Promise<{ ownerId: string; position: number | null }> {
  const claims = claimsOf(values);
  const owner: ClaimCustomerValues['owner'] =
    ownerId !== undefined
      ? { id: ownerId }
      : values.email
        ? { derived: customerIdFor(workspaceId, values.email), reclaimId: newEntityId(context) }
        : { id: newEntityId(context) };
  if (claims.length === 0) return { ownerId: 'id' in owner ? owner.id : owner.derived, position: null };
  const outcome = await runner.runAcross(
    claims.map(({ field, value }) => claimStreamId(KIND[field], workspaceId, value)),
    customerClaimsDecider,
    { workspaceId, claims, owner },
    context,
  );
  const claimedBy = outcome.streams[0].state.ownerId;
  if (!claimedBy) throw new Error('A customer claim has no owner after it was claimed');
  return { ownerId: claimedBy, position: outcome.position };
}

/** Gives a customer's values up (each a no-op unless the customer holds it); the last position written. */
export async function releaseCustomerValues(
  runner: CommandRunner,
  workspaceId: string,
  values: CustomerUniqueValues,
  ownerId: string,
  context: CommandContext,
): Promise<number | null> {
  const outcomes = await Promise.all(
    claimsOf(values).map(({ field, value }) =>
      runner.run(claimStreamId(KIND[field], workspaceId, value), uniqueClaimDecider, { type: 'Release', ownerId }, context),
    ),
  );
  return outcomes.reduce<number | null>((last, o) => (o.position !== null && (last === null || o.position > last) ? o.position : last), null);
}
