import type { FastifyReply, FastifyRequest } from 'fastify';
import { characterCount } from '@ledgerdesk/shared';
import { errorEnvelope } from '../http/error-codes';
import { requestPath } from '../http/request-path';

export const INTAKE_PATH = '/api/v1/inbox/messages';
export const MAX_MESSAGE_CHARS = 20_000;

/**
 * 413 for an intake `message` over 20,000 characters (API.md section 3), as a preValidation hook:
 * after the body is parsed (so after 401, 429, 402 and the 64 KiB body limit) and before any
 * field validation, which would otherwise answer 400 first.
 */
export async function intakeMessageSizeHook(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  if (request.method !== 'POST' || requestPath(request) !== INTAKE_PATH) return undefined;
  const body = request.body as { message?: unknown } | null | undefined;
  const message = body && typeof body === 'object' ? body.message : undefined;
  if (typeof message === 'string' && characterCount(message) > MAX_MESSAGE_CHARS) {
    return reply
      .status(413)
      .send(errorEnvelope(413, `message is longer than ${MAX_MESSAGE_CHARS} characters`, { message: [`at most ${MAX_MESSAGE_CHARS} characters`] }));
  }
  return undefined;
}
