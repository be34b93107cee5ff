import { DomainError } from '@ledgerdesk/shared';
import { verifyIdentifierHash } from './identifier-hash';

/** What a client of the public API says about who it is (API.md section 9). */
export interface ClaimedIdentity {
  identifier?: string | null;
  identifierHash?: string | null;
}

/** Who a new contact is: a person the integrator vouches for (a valid hash), or nobody in particular. */
export type ContactIdentity = { verified: true; identifier: string } | { verified: false };

const MAX_IDENTIFIER_LENGTH = 255;

export const unauthorized = (message: string) => new DomainError('UNAUTHORIZED', message);

const SESSION_MISMATCH = 'identifier and identifier_hash do not match this session';

const given = (identifier: string | null | undefined): identifier is string => identifier !== undefined && identifier !== null;

function assertWellFormed(identifier: string): void {
  if (identifier.trim().length === 0 || identifier.length > MAX_IDENTIFIER_LENGTH) {
    throw new DomainError('VALIDATION', 'identifier must be 1 to 255 characters, not blank', { identifier: ['must be 1 to 255 characters, not blank'] });
  }
}

/**
 * POST /contacts: an identifier counts only with a valid hash (else 401, whatever is wrong with
 * the hash, and never a hint which); without one the contact is anonymous, which an inbox with
 * `hmac_mandatory` refuses (401). `hmacToken` null: the inbox has none, so nothing verifies.
 */
export function identifyNewContact(claimed: ClaimedIdentity, inbox: { hmacToken: string | null; hmacMandatory: boolean }): ContactIdentity {
  if (!given(claimed.identifier)) {
    if (inbox.hmacMandatory) throw unauthorized('This inbox requires an identifier and its identifier_hash');
    return { verified: false };
  }
  assertWellFormed(claimed.identifier);
  if (inbox.hmacToken === null || !verifyIdentifierHash(inbox.hmacToken, claimed.identifier, claimed.identifierHash)) {
    throw unauthorized('identifier_hash does not verify the identifier');
  }
  return { verified: true, identifier: claimed.identifier };
}

/**
 * An identifier named on GET/PATCH of a session must come with a hash that verifies it (401),
 * whatever the source_id names: identity is checked before existence (404), as the contract orders.
 */
export function assertIdentifierVerified(claimed: ClaimedIdentity, hmacToken: string | null): void {
  if (!given(claimed.identifier)) return;
  assertWellFormed(claimed.identifier);
  if (hmacToken === null || !verifyIdentifierHash(hmacToken, claimed.identifier, claimed.identifierHash)) throw unauthorized(SESSION_MISMATCH);
}

/**
 * GET/PATCH of a session may re-assert its identity, never change it: an identifier named there
 * must be the session's verified one (its customer's identifier) with a valid hash, else 401.
 * An unverified session has no identity to re-assert: any identifier is another one.
 */
export function assertSessionIdentity(
  claimed: ClaimedIdentity,
  session: { hmacVerified: boolean; customerIdentifier: string | null },
  hmacToken: string | null,
): void {
  // The hash is verified first whatever the session, so the answer takes as long whether or not the identifier matched.
  assertIdentifierVerified(claimed, hmacToken);
  if (given(claimed.identifier) && !(session.hmacVerified && session.customerIdentifier === claimed.identifier)) throw unauthorized(SESSION_MISMATCH);
}
