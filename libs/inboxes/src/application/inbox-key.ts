import { generateSecretKey, hashSecret, keyPrefix, newEntityId, type CommandContext } from '@ledgerdesk/shared';
import type { IssuedInboxKey } from '../domain/inbox.decider';

export const INBOX_KEY_PREFIX = 'ldi_';

/** A new inbox key: the plaintext goes to the client once, the domain gets only its hash. */
export function newInboxKey(context: CommandContext): { key: string; issued: IssuedInboxKey } {
  const key = generateSecretKey(INBOX_KEY_PREFIX, undefined, context);
  return { key, issued: { keyId: newEntityId(context), keyHash: hashSecret(key), keyPrefix: keyPrefix(key) } };
}
