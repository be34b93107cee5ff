import { v7 as uuidv7 } from 'uuid';
import { LRUCache } from 'lru-cache';
import {
  EventStore,
  NewEvent,
  WrongExpectedRevisionError,
  type EventMetadata,
  type JsonObject,
} from '@ledgerdesk/event-store';
import { DomainError, type CommandContext } from '@ledgerdesk/shared';
import { Decider, DomainEvent } from './decider';
import { eventHash } from './event-hash';
import { LogPositionTracker } from './log-position-tracker';

export const SCHEMA_VERSION = 1;
const MAX_ATTEMPTS = 5;
const MAX_CACHED_STREAMS = 20_000;

export interface WrittenEvent<E extends DomainEvent = DomainEvent> {
  id: string;
  type: E['type'];
  data: E['data'];
  metadata: EventMetadata;
  revision: number;
}

export interface CommandOutcome<E extends DomainEvent, S> {
  events: WrittenEvent<E>[];
  state: S;
  /** Stream revision after the command (-1: the stream does not exist). */
  revision: number;
  /** Global position of the last event written; null when the command wrote nothing. */
  position: number | null;
}

export interface RunOptions {
  /**
   * The stream id was just generated (a random UUID): decide on the initial state without
   * reading the store. The append still expects 'no_stream'; should the stream exist after
   * all, that conflicts and the retry reads it.
   */
  newStream?: boolean;
  /**
   * A find-or-create: deciding on the initial state always appends (creates). When the store
   * can tell the stream has never existed, decide without reading it; if another process
   * created it meanwhile, the append conflicts and the retry reads it.
   */
  findOrCreate?: boolean;
}

interface CachedStream {
  state: unknown;
  revision: number;
  lastHash: string | null;
}

/**
 * The write side's one way to run a command: load the stream, fold it, decide, append with
 * the expected revision. A conflicting concurrent write is retried a bounded number of times,
 * then answered with a CONFLICT domain error.
 *
 * Streams are cached and commands on one stream are pipelined: each command decides on the
 * state left by the previous one (optimistically, before that one's append has committed) and
 * appends with the matching expected revision. The appends land in the same group commit, so
 * a hot stream (a workspace's ticket counter) is not limited to one write per fsync. If an
 * append fails, the cache entry is dropped and every command built on it conflicts and
 * retries from the store, which stays the only judge.
 */
export class CommandRunner {
  /** Least recently used streams go first (a Map evicting its oldest key slows down as it churns). */
  private readonly cache = new LRUCache<string, CachedStream>({ max: MAX_CACHED_STREAMS });
  /** Stream reads in flight for commands, so concurrent commands on an uncached stream read it once. */
  private readonly loading = new Map<string, Promise<CachedStream>>();

  constructor(
    private readonly store: EventStore,
    private readonly positions: LogPositionTracker,
  ) {}

  async run<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options: RunOptions = {},
  ): Promise<CommandOutcome<E, S>> {
    for (let attempt = 1; ; attempt++) {
      const step = await this.decideAndAppend(streamId, decider, command, context, attempt === 1 ? options : {});
      try {
        return await step.committed;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw conflict();
      }
    }
  }

  /**
   * Like run, but answers as soon as the command is decided and its append queued: `state` is
   * the state the command leads to, `committed` settles once the append is durable (retrying
   * a conflict as run does). What the caller appends next, before awaiting `committed`, joins
   * the same group commit. For commands whose decided state is safe to act on before it is
   * durable, e.g. a find-or-create whose conflict only means someone else created the same.
   */
  async begin<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options: RunOptions = {},
  ): Promise<{ state: S; committed: Promise<CommandOutcome<E, S>> }> {
    const step = await this.decideAndAppend(streamId, decider, command, context, options);
    const committed = step.committed.catch((error: unknown) => {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      return this.run(streamId, decider, command, context);
    });
    committed.catch(() => undefined); // the caller may await it later: not an unhandled rejection meanwhile
    return { state: step.state, committed };
  }

  /**
   * One attempt: decide on the cached (or loaded) state, remember the outcome for the next
   * command on the stream, and append with the matching expected revision. On failure the
   * cache entry is dropped and the store's error passes through.
   */
  private async decideAndAppend<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options: RunOptions,
  ): Promise<{ state: S; committed: Promise<CommandOutcome<E, S>> }> {
    const loaded = this.cache.get(streamId) ?? (this.surelyNew(streamId, options) ? emptyStream(decider) : await this.loadForCommand(streamId, decider));
    // Another command may have advanced the stream while we were loading.
    const current = this.cache.peek(streamId) ?? loaded;
    const state = current.state as S;
    const decided = decider.decide(command, state);
    if (decided.length === 0) {
      return { state, committed: Promise.resolve({ events: [], state, revision: current.revision, position: null }) };
    }

    let lastHash = current.lastHash;
    const written: WrittenEvent<E>[] = decided.map((event, i) => {
      const metadata = this.metadata(context, lastHash);
      metadata.hash = eventHash(event.type, event.data, metadata);
      lastHash = metadata.hash;
      // Time-ordered (UUIDv7): the event store's unique index on ids grows at its right edge,
      // one page per commit rather than one random page per event.
      return { id: uuidv7(), type: event.type, data: event.data, metadata, revision: current.revision + 1 + i };
    });
    const next: CachedStream = {
      state: decided.reduce(decider.evolve, state),
      revision: current.revision + decided.length,
      lastHash,
    };
    this.remember(streamId, next);

    const committed = this.store
      .append(
        streamId,
        written.map((e): NewEvent => ({ id: e.id, type: e.type, data: e.data as JsonObject, metadata: e.metadata })),
        current.revision < 0 ? 'no_stream' : current.revision,
      )
      .then(
        (result): CommandOutcome<E, S> => {
          this.positions.record(result.position);
          return { events: written, state: next.state as S, revision: next.revision, position: result.position };
        },
        (error: unknown) => {
          // Whatever is cached now was built on our failed append (or is ours): drop it.
          this.cache.delete(streamId);
          // A read already in flight may predate the write we lost to: retry from a fresh one.
          this.loading.delete(streamId);
          throw error;
        },
      );
    return { state: next.state as S, committed };
  }

  private surelyNew(streamId: string, options: RunOptions): boolean {
    return options.newStream === true || (options.findOrCreate === true && this.store.streamMayExist?.(streamId) === false);
  }

  /** Current state of a stream, for reads that must see the write side (e.g. token checks). */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<CachedStream & { state: S }> {
    const events = await this.store.readStream(streamId);
    const entry: CachedStream = {
      state: events.reduce((s, e) => decider.evolve(s, { type: e.type, data: e.data } as unknown as E), decider.initialState),
      revision: events.length ? events[events.length - 1].revision : -1,
      lastHash: events.length ? (events[events.length - 1].metadata.hash ?? null) : null,
    };
    if (events.length) this.remember(streamId, entry);
    return entry as CachedStream & { state: S };
  }

  /**
   * Like load, but also remembers a stream that does not exist yet (revision -1): the next
   * command on it (a find-or-create, a retry) then decides without reading the store again.
   * Safe for the same reason as caching any stream: the append carries the expected revision
   * ('no_stream'), so if the stream was created meanwhile the append conflicts, the entry is
   * dropped and the retry reads the store. Plain `load` (reads by other callers, which may ask
   * for ids that never exist) does not cache empty streams.
   */
  private loadForCommand<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<CachedStream> {
    const inFlight = this.loading.get(streamId);
    if (inFlight) return inFlight;
    const promise = this.load(streamId, decider)
      .then((entry) => {
        if (entry.revision < 0 && !this.cache.has(streamId)) this.remember(streamId, entry);
        return entry;
      })
      .finally(() => {
        if (this.loading.get(streamId) === promise) this.loading.delete(streamId);
      });
    this.loading.set(streamId, promise);
    return promise;
  }

  private remember(streamId: string, entry: CachedStream): void {
    this.cache.set(streamId, entry);
  }

  private metadata(context: CommandContext, prevHash: string | null): EventMetadata {
    return {
      workspace_id: context.workspaceId,
      actor: context.actor,
      request_id: context.requestId,
      correlation_id: context.correlationId ?? context.requestId,
      causation_id: context.causationId ?? context.requestId,
      occurred_at: context.now,
      schema_version: SCHEMA_VERSION,
      prev_hash: prevHash,
    };
  }
}

const emptyStream = <S>(decider: { initialState: S }): CachedStream => ({ state: decider.initialState, revision: -1, lastHash: null });
const conflict = () => new DomainError('CONFLICT', 'The resource was modified concurrently; retry the request');
