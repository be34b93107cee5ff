import { claimStreamId, uniqueClaimDecider, type ClaimEvent, type ClaimState, type CommandOutcome, type CommandRunner } from '@ledgerdesk/event-sourcing';
import { DomainError, nameBasedIds, type CommandContext, newEntityId } from '@ledgerdesk/shared';
import { nameTaken } from '../domain/tag.decider';
import { normalizeTagName } from '../domain/tag.events';

/** The kind of unique claim that keeps a tag's name unique within its workspace, case-insensitively. */
export const TAG_NAME_CLAIM = 'tag_name';
const tagIds = nameBasedIds('0b6f3f0e-5d2a-4c1b-8f7e-3a9d2c4b1e60');

/** A tag's first id is derived from (workspace, lower-cased name): concurrent first uses agree. */
export const tagIdFor = (workspaceId: string, name: string) => tagIds(`${workspaceId}:${normalizeTagName(name)}`);

type ClaimOutcome = CommandOutcome<ClaimEvent, ClaimState>;

/**
 * Claims a name for `ownerId` (a rename), or, when omitted, for the id the name derives (a
 * fresh one if the name was given up before). A clash is a CONFLICT.
 */
export function claimTagName(runner: CommandRunner, workspaceId: string, name: string, context: CommandContext, ownerId?: string): Promise<ClaimOutcome> {
  const value = normalizeTagName(name);
  const command = ownerId
    ? { type: 'Claim' as const, kind: 'tag', workspaceId, value, ownerId }
    : { type: 'Claim' as const, kind: 'tag', workspaceId, value, ownerId: tagIdFor(workspaceId, value), reclaimId: newEntityId(context) };
  return runner.run(claimStreamId(TAG_NAME_CLAIM, workspaceId, value), uniqueClaimDecider, command, context);
}

/** The name's current owner, or a claim for the id the name derives (a tag named on a ticket). */
export function findOrClaimTagName(runner: CommandRunner, workspaceId: string, name: string, context: CommandContext): Promise<ClaimOutcome> {
  const value = normalizeTagName(name);
  return runner.run(
    claimStreamId(TAG_NAME_CLAIM, workspaceId, value),
    uniqueClaimDecider,
    { type: 'FindOrClaim', kind: 'tag', workspaceId, value, ownerId: tagIdFor(workspaceId, value), reclaimId: newEntityId(context) },
    context,
    { findOrCreate: true },
  );
}

/** Gives a tag's name up; a no-op unless the tag holds it. */
export function releaseTagName(runner: CommandRunner, workspaceId: string, name: string, ownerId: string, context: CommandContext): Promise<ClaimOutcome> {
  return runner.run(claimStreamId(TAG_NAME_CLAIM, workspaceId, normalizeTagName(name)), uniqueClaimDecider, { type: 'Release', ownerId }, context);
}

/** Any conflict while naming a tag, in the tags API's words: the name is taken. */
export function asNameTaken(error: unknown): never {
  throw error instanceof DomainError && error.code === 'CONFLICT' ? nameTaken() : error;
}
