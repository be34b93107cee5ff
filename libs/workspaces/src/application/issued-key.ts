import { generateSecretKey, hashSecret, keyPrefix, newEntityId, type CommandContext } from '@ledgerdesk/shared';
import type { IssuedKey } from '../domain/workspace.decider';

export const WORKSPACE_KEY_PREFIX = 'ldk_';

/** A new workspace key: the plaintext goes to the client once, the domain gets only its hash. */
export function newWorkspaceKey(context: CommandContext): { key: string; issued: IssuedKey } {
  const key = generateSecretKey(WORKSPACE_KEY_PREFIX, undefined, context);
  return { key, issued: { keyId: newEntityId(context), keyHash: hashSecret(key), keyPrefix: keyPrefix(key) } };
}
