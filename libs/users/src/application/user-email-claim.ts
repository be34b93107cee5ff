import { claimStreamId, uniqueClaimDecider, type ClaimEvent, type ClaimState, type CommandOutcome, type CommandRunner } from '@ledgerdesk/event-sourcing';
import { DomainError, type CommandContext } from '@ledgerdesk/shared';
import { normalizeUserEmail } from '../domain/user.decider';

/** The kind of unique claim that keeps a user's email unique within its workspace. */
export const USER_EMAIL_CLAIM = 'user_email';

type ClaimOutcome = CommandOutcome<ClaimEvent, ClaimState>;

const emailTaken = () => new DomainError('CONFLICT', 'A user with this email already exists', { email: ['already exists'] });

/** Claims an email for a user; a clash is a 409 that says the email field clashed. */
export function claimUserEmail(runner: CommandRunner, workspaceId: string, email: string, ownerId: string, context: CommandContext): Promise<ClaimOutcome> {
  const value = normalizeUserEmail(email);
  return runner
    .run(claimStreamId(USER_EMAIL_CLAIM, workspaceId, value), uniqueClaimDecider, { type: 'Claim', kind: 'user', workspaceId, value, ownerId }, context)
    .catch((error: unknown) => {
      throw error instanceof DomainError && error.code === 'CONFLICT' ? emailTaken() : error;
    });
}

/** Gives a user's email up; a no-op unless the user holds it. */
export function releaseUserEmail(runner: CommandRunner, workspaceId: string, email: string, ownerId: string, context: CommandContext): Promise<ClaimOutcome> {
  return runner.run(claimStreamId(USER_EMAIL_CLAIM, workspaceId, normalizeUserEmail(email)), uniqueClaimDecider, { type: 'Release', ownerId }, context);
}
