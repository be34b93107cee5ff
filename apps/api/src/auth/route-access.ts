import type { Principal } from './principal';

/** Which credential a path needs (API.md section 1): decided from the URL alone. */
export type RequiredCredential = 'none' | Principal['kind'];

export function requiredCredential(path: string): RequiredCredential {
  if (!path.startsWith('/api/v1/') && path !== '/api/v1') return 'none';
  if (path === '/api/v1/admin' || path.startsWith('/api/v1/admin/')) return 'admin';
  if (path === '/api/v1/inbox/messages') return 'inbox';
  return 'workspace';
}

/**
 * Writes an inactive workspace may still make (API.md section 0): revoking or rotating keys and
 * disabling or deleting webhooks. PATCH /webhooks/{id} is judged by its body, after parsing.
 */
const ALLOWED_WHEN_INACTIVE: Array<[method: string, pattern: RegExp]> = [
  ['DELETE', /^\/api\/v1\/inboxes\/[^/]+\/api-keys\/[^/]+$/],
  ['POST', /^\/api\/v1\/inboxes\/[^/]+\/api-keys\/rotate$/],
  ['POST', /^\/api\/v1\/inboxes\/[^/]+\/hmac-token\/rotate$/],
  ['DELETE', /^\/api\/v1\/webhooks\/[^/]+$/],
  ['POST', /^\/api\/v1\/webhooks\/[^/]+\/rotate-secret$/],
  ['PATCH', /^\/api\/v1\/webhooks\/[^/]+$/],
];

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

export function blockedByInactiveSubscription(method: string, path: string): boolean {
  if (!WRITE_METHODS.has(method)) return false;
  return !ALLOWED_WHEN_INACTIVE.some(([m, pattern]) => m === method && pattern.test(path));
}
