import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from './error-codes';

/** The first string (key or value) in `value` that is not well-formed UTF-16, as a field path. */
function malformedPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : path || 'body';
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!key.isWellFormed()) return childPath;
    const found = malformedPath(child, childPath);
    if (found) return found;
  }
  return null;
}

/**
 * JSON may carry lone UTF-16 surrogates (`"\ud800"`), which no text field can hold: they break
 * UTF-8 storage, hashing and e-mail/id derivation downstream. Refuse them at the door (400,
 * naming the field), after parsing and before validation, for every body of the API.
 */
export async function wellFormedTextHook(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const field = malformedPath(request.body, '');
  if (field) {
    await reply.status(400).send(errorEnvelope(400, `${field} contains malformed text (a lone UTF-16 surrogate)`, { [field]: ['malformed text'] }));
  }
}
