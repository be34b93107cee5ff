import { isUtf8 } from 'node:buffer';
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/**
 * JSON bodies are read as bytes and must be UTF-8 (RFC 8259): decoded as Fastify decodes them,
 * every invalid byte would become U+FFFD and a customer's text would be stored corrupted, with
 * no error. Valid bodies then go to Fastify's own JSON parser, with the instance's settings for
 * prototype poisoning.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'error' } = fastify.initialConfig;
  const parseJson = fastify.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (!isUtf8(body)) return done(new ApiError(400, 'Request body is not valid UTF-8', { body: ['not valid UTF-8'] }), undefined);
    parseJson(request, body.toString('utf8'), done);
  });
}
