/**
 * A decider (Emmett / Jérémie Chassaing style): pure functions, no I/O, no framework.
 * `decide` turns a command and the current state into new events (or throws a DomainError);
 * `evolve` folds one event into the state.
 */
export interface DomainEvent<T extends string = string, D extends object = object> {
  type: T;
  data: D;
}

/**
 * What `evolve` may read besides type and data: when the event happened, for states that show
 * times (created_at, updated_at). Set on events of the log and on events just written; absent
 * on events in given/when/then specifications.
 */
export interface OccurredAt {
  metadata?: { occurred_at: string };
}

export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event & OccurredAt): State;
  initialState: State;
}

/** The state after `events`, from `from` (the initial state by default). Reads type, data and occurred_at. */
export const fold = <E extends DomainEvent, S>(
  decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>,
  events: ReadonlyArray<{ type: string; data: object; metadata?: { occurred_at: string } }>,
  from: S = decider.initialState,
): S =>
  events.reduce(
    (state, event) =>
      decider.evolve(
        state,
        (event.metadata
          ? { type: event.type, data: event.data, metadata: { occurred_at: event.metadata.occurred_at } }
          : { type: event.type, data: event.data }) as E & OccurredAt,
      ),
    from,
  );

/**
 * A decision over several aggregates of one kind that must commit together or not at all
 * (a ticket merged into another). `decide` gets the states in the order of the stream ids it
 * runs on and returns one list of events per stream; the runner appends them atomically, each
 * stream at the revision `decide` saw.
 */
export interface MultiStreamDecider<Command, Event extends DomainEvent, State> {
  decide(command: Command, states: State[]): Event[][];
  evolve(state: State, event: Event & OccurredAt): State;
  initialState: State;
}
