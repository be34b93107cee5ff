/**
 * The session a source_id names: null when malformed, unknown, or its customer was erased.
 * Callers check that it belongs to their workspace (and inbox).
 */
export class FindContactSessionQuery {
  constructor(readonly sourceId: string) {}
}
