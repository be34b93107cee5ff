import { ParseUUIDPipe } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { ReadConsistency } from '@ledgerdesk/infrastructure';
import { ApiError } from './api-error';
import { sendLogPosition } from './log-position';

/**
 * After a write whose response is read back from a read model: wait (bounded) until the read
 * models have applied it, and tell the client the position (X-Log-Position).
 */
export async function readYourWrite(consistency: ReadConsistency, reply: FastifyReply, position: number | null | undefined): Promise<void> {
  sendLogPosition(reply, position);
  if (position) await consistency.waitFor(position, 5_000);
}

/** A malformed id can name nothing: 404, like any unknown id. */
export const idPipe = (what: string) => new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, `${what} not found`) });

/** `If-Match: "<version>"` as a stream revision; `*` or no header: unconditional. */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined || header === '*') return undefined;
  const match = typeof header === 'string' ? /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header) : null;
  if (!match) throw new ApiError(412, 'If-Match does not match the current version', { 'If-Match': ['must be the ETag of GET, e.g. "3"'] });
  return Number(match[1]);
}
