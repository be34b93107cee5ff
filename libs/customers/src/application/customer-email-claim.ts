import { randomUUID } from 'node:crypto';
import { claimStreamId, uniqueClaimDecider, type CommandOutcome, type CommandRunner, type ClaimEvent, type ClaimState } from '@ledgerdesk/event-sourcing';
import type { CommandContext } from '@ledgerdesk/shared';
import { customerIdFor } from '../domain/customer-identity';

/** The kind of unique claim that keeps a customer's email unique within its workspace. */
export const CUSTOMER_EMAIL_CLAIM = 'customer_email';

type ClaimOutcome = CommandOutcome<ClaimEvent, ClaimState>;

/**
 * Claims a (normalized) email for a customer: for `ownerId`, or, when omitted, for the id the
 * email derives (a fresh one if the email was given up before). A clash is a 409 that says
 * which field clashed.
 */
export function claimCustomerEmail(
  runner: CommandRunner,
  workspaceId: string,
  email: string,
  context: CommandContext,
  ownerId?: string,
): Promise<ClaimOutcome> {
  const command = ownerId
    ? { type: 'Claim' as const, kind: 'customer', workspaceId, value: email, ownerId }
    : { type: 'Claim' as const, kind: 'customer', workspaceId, value: email, ownerId: customerIdFor(workspaceId, email), reclaimId: randomUUID() };
  return runner.run(claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, email), uniqueClaimDecider, command, context).catch((error: unknown) => {
    throw asEmailConflict(error);
  });
}

/** Gives a customer's (normalized) email up; a no-op unless the customer holds it. */
export function releaseCustomerEmail(
  runner: CommandRunner,
  workspaceId: string,
  email: string,
  ownerId: string,
  context: CommandContext,
): Promise<ClaimOutcome> {
  return runner.run(claimStreamId(CUSTOMER_EMAIL_CLAIM, workspaceId, email), uniqueClaimDecider, { type: 'Release', ownerId }, context);
}

/** The claim decider's conflict, in the customers API's words: the email field clashed. */
function asEmailConflict(error: unknown): unknown {
  if (error && typeof error === 'object' && (error as { code?: string }).code === 'CONFLICT') {
    const e = error as { message: string; details: Record<string, unknown> };
    e.message = 'A customer with this email already exists';
    e.details = { ...e.details, email: ['a customer with this email already exists'] };
  }
  return error;
}
