import type { ExpectedRevision } from '../event-store.port';
import { WrongExpectedRevisionError } from '../event-store.errors';

/** `current` is the stream's last revision, undefined when the stream does not exist. */
export function assertExpectedRevision(streamId: string, expected: ExpectedRevision, current: number | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && current === undefined) ||
    (expected === 'stream_exists' && current !== undefined) ||
    (typeof expected === 'number' && current === expected);
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, current ?? 'no_stream');
}
