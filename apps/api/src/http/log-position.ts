import type { FastifyReply } from 'fastify';

/** Writes answer with the log position they reached, for X-Consistent-With on later reads. */
export function sendLogPosition(reply: FastifyReply, position: number | null | undefined): void {
  if (position !== null && position !== undefined) void reply.header('X-Log-Position', String(position));
}
