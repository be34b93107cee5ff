/** Errors every read store adapter translates its driver's errors into. */

/** A write would give two documents the same key in a unique index (Mongo's E11000). */
export class DuplicateKeyError extends Error {
  readonly code = 'DUPLICATE_KEY';
  constructor(
    readonly collection: string,
    /** The index's key fields, e.g. `{ workspace_id: 1, email: 1 }`. */
    readonly keyPattern: Record<string, unknown>,
    readonly keyValue: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(`Duplicate key in ${collection} for index ${JSON.stringify(keyPattern)}`, options);
    this.name = 'DuplicateKeyError';
  }
}

/** A list cursor that this server did not produce (or that belongs to another sort). */
export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor(message = 'Invalid cursor') {
    super(message);
    this.name = 'InvalidCursorError';
  }
}
