import { randomUUID } from 'node:crypto';
import { generateSecretKey, hashSecret, keyPrefix } from '@ledgerdesk/shared';
import type { IssuedInboxKey } from '../domain/inbox.decider';

export const INBOX_KEY_PREFIX = 'ldi_';

/** A new inbox key: the plaintext goes to the client once, the domain gets only its hash. */
export function newInboxKey(): { key: string; issued: IssuedInboxKey } {
  const key = generateSecretKey(INBOX_KEY_PREFIX);
  return { key, issued: { keyId: randomUUID(), keyHash: hashSecret(key), keyPrefix: keyPrefix(key) } };
}
