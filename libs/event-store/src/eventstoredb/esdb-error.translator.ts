import { ErrorType, WrongExpectedVersionError, isCommandError } from '@kurrent/kurrentdb-client';
import { EventStoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import type { ExpectedRevision } from '../event-store.port';

const UNAVAILABLE_TYPES = new Set<string>([ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.NOT_LEADER]);

/** Driver errors become port errors so that callers never import the ESDB client. */
export function translateEsdbError(error: unknown, expected?: ExpectedRevision): unknown {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualState === 'no_stream' ? 'no_stream' : Number(error.actualState);
    return new WrongExpectedRevisionError(error.streamName, expected ?? String(error.expectedState), actual);
  }
  if (error instanceof Error && isCommandError(error) && UNAVAILABLE_TYPES.has(error.type)) {
    return new EventStoreUnavailableError(`EventStoreDB unavailable: ${error.message}`, { cause: error });
  }
  // Discovery gives up with a plain Error before any command error exists.
  if (error instanceof Error && /discover|connect|ECONNREFUSED|UNAVAILABLE/i.test(error.message)) {
    return new EventStoreUnavailableError(`EventStoreDB unreachable: ${error.message}`, { cause: error });
  }
  return error;
}
