import type { Decider, DomainEvent, MultiStreamDecider } from '@ledgerdesk/event-sourcing';

/**
 * Given/when/then for deciders (after Emmett's DeciderSpecification):
 *
 *   spec.given([created]).when(appendMessage).then([messageAppended]);
 *   spec.given([]).when(appendMessage).thenThrows((e) => e.code === 'NOT_FOUND');
 */
export function deciderSpecification<C, E extends DomainEvent, S>(decider: Decider<C, E, S>) {
  return {
    given(events: E[]) {
      return {
        when(command: C) {
          return outcome(() => decider.decide(command, events.reduce(decider.evolve, decider.initialState)), []);
        },
      };
    },
  };
}

/**
 * The same for a MultiStreamDecider: `given` holds each stream's history, `then` each stream's
 * new events, in the order of the streams.
 *
 *   spec.given([[sourceCreated], [targetCreated]]).when(merge).then([[merged], [note]]);
 */
export function multiStreamDeciderSpecification<C, E extends DomainEvent, S>(decider: MultiStreamDecider<C, E, S>) {
  return {
    given(histories: E[][]) {
      return {
        when(command: C) {
          const states = histories.map((events) => events.reduce(decider.evolve, decider.initialState));
          return outcome(
            () => decider.decide(command, states),
            histories.map((): E[] => []),
          );
        },
      };
    },
  };
}

function outcome<T>(run: () => T, nothing: T) {
  return {
    then(expected: T) {
      expect(run()).toEqual(expected);
    },
    thenNothingHappens() {
      expect(run()).toEqual(nothing);
    },
    thenThrows<Err extends Error>(check: (error: Err) => boolean) {
      let thrown: unknown;
      try {
        run();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Error);
      expect(check(thrown as Err)).toBe(true);
    },
  };
}
