import type { Decider, DomainEvent } from '@ledgerdesk/event-sourcing';

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
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState));
          return {
            then(expected: E[]) {
              expect(run()).toEqual(expected);
            },
            thenNothingHappens() {
              expect(run()).toEqual([]);
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
        },
      };
    },
  };
}
