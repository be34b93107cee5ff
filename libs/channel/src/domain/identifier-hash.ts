import { createHmac, timingSafeEqual } from 'node:crypto';

const HASH = /^[0-9a-f]{64}$/;

/** ChannelX's formula: lowercase hex of HMAC-SHA256 keyed with the inbox's token (UTF-8) over the identifier (UTF-8). */
export const identifierHash = (hmacToken: string, identifier: string) =>
  createHmac('sha256', Buffer.from(hmacToken, 'utf8')).update(identifier, 'utf8').digest('hex');

/**
 * Does `hash` sign `identifier` with the inbox's token? Compared in constant time; a missing or
 * malformed hash (not 64 lowercase hex digits, as API.md section 9 writes it and ChannelX compares
 * it) is simply false, never an exception.
 */
export function verifyIdentifierHash(hmacToken: string, identifier: string, hash: unknown): boolean {
  if (typeof hash !== 'string' || !HASH.test(hash)) return false;
  return timingSafeEqual(Buffer.from(identifierHash(hmacToken, identifier), 'hex'), Buffer.from(hash, 'hex'));
}
