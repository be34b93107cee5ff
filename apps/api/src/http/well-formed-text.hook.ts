import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './error-codes';
import { findJsonBodyProblem, MAX_JSON_DEPTH } from './json-body';

/**
 * Every body of the API is checked here, after parsing and before validation:
 * - JSON may carry lone UTF-16 surrogates (`"\ud800"`), which no text field can hold: they break
 *   UTF-8 storage, hashing and e-mail/id derivation downstream. 400, naming the field.
 * - Nesting is bounded (MAX_JSON_DEPTH): every later walk of the body (validation pipe,
 *   class-transformer, canonical JSON for idempotency) recurses, and a 10,000-deep body would
 *   overflow the stack there (a 500). 400, saying so.
 */
export async function wellFormedTextHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const problem = findJsonBodyProblem(request.body);
  if (problem?.kind === 'too_deep') {
    const reason = `nested deeper than ${MAX_JSON_DEPTH} levels`;
    await reply.status(400).send(errorEnvelope(400, `Request body is ${reason}`, { body: [reason] }));
  } else if (problem?.kind === 'malformed_text') {
    const field = problem.path;
    await reply.status(400).send(errorEnvelope(400, `${field} contains malformed text (a lone UTF-16 surrogate)`, { [field]: ['malformed text'] }));
  }
}
