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
