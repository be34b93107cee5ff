import { randomUUID } from 'node:crypto';
import { generateSecretKey, hashSecret, keyPrefix } from '@ledgerdesk/shared';
import type { IssuedKey } from '../domain/workspace.decider';

export const WORKSPACE_KEY_PREFIX = 'ldk_';

/** A new workspace key: the plaintext goes to the client once, the domain gets only its hash. */
export function newWorkspaceKey(): { key: string; issued: IssuedKey } {
  const key = generateSecretKey(WORKSPACE_KEY_PREFIX);
  return { key, issued: { keyId: randomUUID(), keyHash: hashSecret(key), keyPrefix: keyPrefix(key) } };
}
