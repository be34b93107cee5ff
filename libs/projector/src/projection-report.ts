import type { EventStore } from '@ledgerdesk/event-store';
import type { ReadStore } from '@ledgerdesk/read-store';
import type { HostedProjectionStatus, ProjectorHost } from './projector-host';
import type { ReadModelRouter } from './read-model-router';

/** One row of GET /admin/projections (API.md section 2), plus the generation and rebuild. */
export interface ProjectionReport {
  name: string;
  state: HostedProjectionStatus['state'];
  checkpoint: number;
  head: number;
  lag: number;
  last_error: HostedProjectionStatus['last_error'];
  events_per_second: number;
  generation: number;
  rebuild: (HostedProjectionStatus['rebuild'] & { lag: number }) | null;
}

/**
 * Status of every projection. With the projector in this process, from its runners; otherwise
 * from the checkpoints in the read store (state then is `live` or `catching_up` by lag: a
 * process without the projector cannot see failures or rebuilds).
 */
export async function projectionReport(deps: {
  projector: ProjectorHost | null;
  eventStore: EventStore;
  readStore: ReadStore;
  router: ReadModelRouter;
  names: readonly string[];
}): Promise<ProjectionReport[]> {
  const head = await deps.eventStore.headPosition();
  const lagOf = (checkpoint: number) => Math.max(0, head - checkpoint);
  if (deps.projector) {
    return deps.projector.statuses().map((s) => ({
      name: s.name,
      state: s.state,
      checkpoint: s.checkpoint,
      head,
      lag: lagOf(s.checkpoint),
      last_error: s.last_error,
      events_per_second: s.events_per_second,
      generation: s.generation,
      rebuild: s.rebuild ? { ...s.rebuild, lag: s.rebuild.state === 'running' ? lagOf(s.rebuild.checkpoint) : 0 } : null,
    }));
  }
  await deps.router.refresh();
  return Promise.all(
    deps.names.map(async (name) => {
      const checkpoint = await deps.readStore.getCheckpoint(deps.router.checkpointKey(name));
      return {
        name,
        state: checkpoint >= head ? ('live' as const) : ('catching_up' as const),
        checkpoint,
        head,
        lag: lagOf(checkpoint),
        last_error: null,
        events_per_second: 0,
        generation: deps.router.generation(name),
        rebuild: null,
      };
    }),
  );
}
