import type { CommandRunner, Reactor } from '@ledgerdesk/event-sourcing';
import type { ReadStore } from '@ledgerdesk/read-store';
import { UnassignDeletedUsersReactor } from '@ledgerdesk/tickets';

export interface ReactorDependencies {
  runner: CommandRunner;
  /** The read models as the API reads them (active generations). */
  readStore: ReadStore;
  /** Resolves once every read model has applied `position`. */
  readModelsReached: (position: number) => Promise<void>;
}

/** Every reactor the projector role runs. */
export const createReactors = (deps: ReactorDependencies): Reactor[] => [new UnassignDeletedUsersReactor(deps.runner, deps.readStore, deps.readModelsReached)];
