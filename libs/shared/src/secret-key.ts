import { createHash, randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `prefix` + 40 random base62 chars (~238 bits): API keys, inbox keys, ticket tokens. */
export function generateSecretKey(prefix: string, length = 40): string {
  let out = prefix;
  for (let i = 0; i < length; i++) out += BASE62[randomInt(62)];
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
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
