/**
 * Domain errors carry a code; only the HTTP layer maps codes to status codes.
 * `details` is safe to show to the client.
 */
export type DomainErrorCode = 'VALIDATION' | 'UNAUTHORIZED' | 'NOT_FOUND' | 'CONFLICT' | 'PRECONDITION_FAILED' | 'FORBIDDEN' | 'PAYMENT_REQUIRED' | 'GONE';

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);
/** A body field that names something unknown or out of reach: 400 naming the field. */
export const invalidReference = (field: string, what: string) =>
  new DomainError('VALIDATION', `${field} does not name a ${what} of this workspace`, {
    [field]: [`unknown ${what}`],
  });
