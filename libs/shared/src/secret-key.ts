import { createHash, randomBytes } from 'node:crypto';
import type { KeyedRequest } from './keyed-request';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Who a secret is made for: a keyed request's secrets come from its claim (KeyedRequest.secretBytes). */
type SecretFor = { keyedRequest?: KeyedRequest } | undefined;

const secretBytes = (count: number, context: SecretFor): Buffer => context?.keyedRequest?.secretBytes(count) ?? randomBytes(count);

/** `prefix` + `length` random base62 chars (40: ~238 bits): API keys, inbox keys, ticket tokens. */
export function generateSecretKey(prefix: string, length = 40, context?: SecretFor): string {
  let out = prefix;
  while (out.length < prefix.length + length) {
    // 248 = 4 × 62: bytes above it are skipped, so every character is equally likely.
    for (const byte of secretBytes(length, context)) if (byte < 248 && out.length < prefix.length + length) out += BASE62[byte % 62];
  }
  return out;
}

/**
 * Keys are high-entropy random strings, so one SHA-256 is enough to store them safely
 * (no salt or slow hash needed, as with GitHub and Stripe tokens) and lets us look them up.
 */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** What we show of a key after creation: enough to recognise it, useless to an attacker. */
export const keyPrefix = (key: string) => key.slice(0, 8);

/** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export const generateWebhookSecret = (context?: SecretFor) => `whsec_${secretBytes(32, context).toString('base64')}`;
