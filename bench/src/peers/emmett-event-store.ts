import { evolve, INITIAL_FOLD, type BenchEvent, type FoldState, type PeerTarget } from './peer-target';

/**
 * The part of Emmett's EventStore interface the bench uses (the packages are loaded at run
 * time from bench/peers, so their own types are not visible to the bench's tsconfig).
 */
export interface EmmettEvent {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

export interface EmmettEventStore {
  appendToStream(streamName: string, events: EmmettEvent[], options?: { expectedStreamVersion?: unknown }): Promise<unknown>;
  readStream(streamName: string): Promise<{ events: Array<{ type: string; data: Record<string, unknown> }>; streamExists: boolean }>;
  aggregateStream<State>(
    streamName: string,
    options: { evolve: (state: State, event: { type: string; data: unknown }) => State; initialState: () => State },
  ): Promise<{ state: State; streamExists: boolean }>;
  close?(): Promise<void>;
}

/** Emmett's expected version for "the stream must not exist yet". */
export const STREAM_DOES_NOT_EXIST = 'STREAM_DOES_NOT_EXIST';

export function toEmmettEvent(event: { type: string; data: Record<string, unknown>; metadata: object }): EmmettEvent {
  return { type: event.type, data: event.data, metadata: { ...event.metadata } };
}

/** An Emmett event store as a bench target: the same calls whichever storage is underneath. */
export class EmmettTarget<Store extends EmmettEventStore = EmmettEventStore> implements PeerTarget {
  constructor(
    readonly store: Store,
    readonly durability: string,
  ) {}

  async appendNew(streamId: string, event: BenchEvent): Promise<void> {
    await this.store.appendToStream(streamId, [toEmmettEvent(event)], { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
  }

  async seedStream(streamId: string, events: BenchEvent[]): Promise<void> {
    await this.store.appendToStream(streamId, events.map(toEmmettEvent), { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
  }

  async readAndFold(streamId: string): Promise<FoldState> {
    const { state } = await this.store.aggregateStream<FoldState>(streamId, { evolve, initialState: () => INITIAL_FOLD });
    return state;
  }

  async ticketIds(streamId: string): Promise<string[]> {
    const { events } = await this.store.readStream(streamId);
    return events.map((e) => String(e.data.ticket_id));
  }

  async close(): Promise<void> {
    await this.store.close?.();
  }
}
