/** Errors every adapter translates its driver's errors into. */

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: string | number,
    readonly actual: number | 'no_stream',
    /** Set when the revision matched but the stream's last event is not the one the append follows. */
    readonly hashMismatch = false,
  ) {
    super(
      hashMismatch
        ? `Stream ${streamId}: revision ${actual} holds another event than the append follows (prev_hash mismatch)`
        : `Stream ${streamId}: expected revision ${expected}, actual ${actual}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

/** A stored event that cannot be read back as an event (its data or metadata is not a JSON object). */
export class UnreadableEventError extends Error {
  readonly code = 'UNREADABLE_EVENT';
  constructor(
    readonly streamId: string,
    readonly revision: number,
    readonly position: number,
    reason: string,
  ) {
    super(`The event at position ${position} (stream ${streamId}, revision ${revision}) is unreadable: ${reason}`);
    this.name = 'UnreadableEventError';
  }
}
