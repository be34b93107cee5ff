import { v7 as uuidv7 } from 'uuid';
import { LRUCache } from 'lru-cache';
import { EventStore, WrongExpectedRevisionError, type AppendResult, type EventMetadata, type JsonObject, type StreamAppend } from '@ledgerdesk/event-store';
import { DomainError, isSealed, openSecret, type CommandContext, type KeyedRequest } from '@ledgerdesk/shared';
import { canonicalJson } from './canonical-json';
import { fold, type Decider, type DomainEvent, type MultiStreamDecider } from './decider';
import { eventHash } from './event-hash';
import { LogPositionTracker } from './log-position-tracker';

/**
 * How the events written now are shaped (in each event's metadata). 2: a ticket created with a
 * message writes it as its own MessageAppended after TicketCreated (1: inside TicketCreated).
 */
export const SCHEMA_VERSION = 2;
const MAX_ATTEMPTS = 5;
const MAX_CACHED_STREAMS = 20_000;
/** How far apart the clocks of API processes and the store may be (claim times against recording times). */
const CLOCK_SKEW_MS = 60_000;
/** Events per backwards read when looking for a keyed request's event. */
const RECENT_PAGE = 64;

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

/** What a multi-stream command did: one outcome per stream, in the order of the stream ids. */
export interface MultiStreamOutcome<E extends DomainEvent, S> {
  streams: Array<Omit<CommandOutcome<E, S>, 'position'>>;
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

/** What begins a command: the runner itself, or a unit of work (`runTogether`). */
export interface CommandStarter {
  begin<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options?: RunOptions,
  ): Promise<{ state: S; committed: Promise<CommandOutcome<E, S>> }>;
}

/** Appends one decision's streams (the store's own append, or a unit's collected append). */
type Appender = (appends: StreamAppend[]) => Promise<AppendResult[]>;

/** A stream's state as of its last event (`lastHash`: that event's hash, the next one's prev_hash). */
interface StreamState {
  state: unknown;
  revision: number;
  lastHash: string | null;
}

/** One attempt, decided: what it will append, and what the caller gets once it is durable. */
interface Decided<E extends DomainEvent, S> {
  streams: Array<{ streamId: string; written: WrittenEvent<E>[]; state: S; revision: number; expected: number }>;
}

/**
 * The write side's one way to run a command: load the streams, fold them, decide, append with
 * the expected revision of the state `decide` saw. A conflicting concurrent write is retried a
 * bounded number of times, then answered with a CONFLICT domain error. A command answers only
 * once its events are durable; a command that throws or conflicts out wrote nothing.
 *
 * Every append is conditional on exactly the state it was decided on: its expected revision is
 * that state's, and its first event's prev_hash is the hash of that state's last event. Streams
 * are cached. Where the store checks the hash chain inside the append (SQLite), commands on one
 * stream are pipelined: each decides on the state left by the previous one, before that one
 * has committed, so a hot stream (a workspace's ticket counter) is not limited to one write per
 * group commit; if that append fails, every append built on it fails the chain check too and
 * its command retries from the store. Where the store checks only revisions (EventStoreDB), a
 * command waits for the appends in flight on its streams and decides on committed states.
 */
export class CommandRunner {
  /** Least recently used streams go first (a Map evicting its oldest key slows down as it churns). */
  private readonly cache: LRUCache<string, StreamState>;
  /** Stream reads in flight for commands, so concurrent commands on an uncached stream read it once. */
  private readonly loading = new Map<string, Promise<StreamState>>();
  /** The latest append in flight per stream, settled or not (only awaited where the store checks no chain). */
  private readonly appending = new Map<string, Promise<unknown>>();
  /** A command's own append, outside a unit of work. */
  private readonly appendToStore: Appender = (appends) => appendAtomically(this.store, appends);

  constructor(
    private readonly store: EventStore,
    private readonly positions: LogPositionTracker,
    /** How many streams' states are kept (tests make it small to exercise eviction). */
    maxCachedStreams = MAX_CACHED_STREAMS,
  ) {
    this.cache = new LRUCache<string, StreamState>({ max: maxCachedStreams });
  }

  async run<C, E extends DomainEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    context: CommandContext,
    options: RunOptions = {},
  ): Promise<CommandOutcome<E, S>> {
    const steps = stepsOf([streamId], context);
    const multi = asMultiStream(decider);
    const written = context.keyedRequest?.resuming ? await this.writtenBefore([streamId], multi, command, context, steps) : null;
    return singleStream(written ?? (await this.retrying([streamId], multi, command, context, options, steps)));
  }

  /**
   * One decision over several streams (MultiStreamDecider), appended atomically: every stream
   * at the revision `decide` saw, or nothing at all. A stream named twice gets its state twice,
   * for `decide` to refuse (a ticket merged into itself); events for it are a programming error.
   */
  async runAcross<C, E extends DomainEvent, S>(
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
  ): Promise<MultiStreamOutcome<E, S>> {
    const steps = stepsOf(streamIds, context);
    const written = context.keyedRequest?.resuming ? await this.writtenBefore(streamIds, decider, command, context, steps) : null;
    return written ?? (await this.retrying(streamIds, decider, command, context, {}, steps));
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
    const multi = asMultiStream(decider);
    const steps = stepsOf([streamId], context);
    // Only a resuming request waits to look: a first attempt queues its append in this tick.
    const written = context.keyedRequest?.resuming ? await this.writtenBefore([streamId], multi, command, context, steps) : null;
    if (written) return { state: written.streams[0].state, committed: Promise.resolve(singleStream(written)) };
    const attempt = await this.attempt([streamId], multi, command, context, options, steps);
    const committed = attempt.committed.then(singleStream, async (error: unknown) =>
      singleStream(
        (await this.handedBackAfter(error, [streamId], multi, command, context, steps)) ??
          (await this.retrying([streamId], multi, command, context, {}, steps, 2)),
      ),
    );
    committed.catch(() => undefined); // the caller may await it later: not an unhandled rejection meanwhile
    return { state: attempt.states[0], committed };
  }

  /**
   * A unit of work: the commands `build` begins with `unit.begin` are decided in turn (each on
   * the states the ones before it left) and appended together, atomically, in one append: all
   * of them or none. `build` returns once it has begun them all; their `committed` settle once
   * the unit is durable, so `build` must not wait for them. If the append conflicts, `build`
   * runs again on fresh states (a bounded number of times, then CONFLICT), so it must only
   * begin commands and read; a failed attempt's `committed` reject unawaited, so a promise
   * `build` makes of them must not be left unhandled. A ticket's creation is one: its email's
   * claim, its customer, its number and the ticket commit together, so a number is never used
   * without being reserved, and a new customer's ticket costs one group commit.
   */
  async runTogether<T>(context: CommandContext, build: (unit: CommandStarter) => Promise<T>): Promise<T> {
    // A keyed request's commands keep their steps (hence their event ids) across attempts.
    const steps = new Map<string, number[] | undefined>();
    for (let attempt = 1; ; attempt++) {
      // After a failed attempt (or resuming), what an earlier attempt wrote is handed back.
      const lookForEarlierWrites = context.keyedRequest?.resuming === true || attempt > 1;
      const beginOne: BeginInUnit = async (streamId, decider, command, commandContext, options, commandSteps, append) => {
        const multi = asMultiStream(decider);
        const written = lookForEarlierWrites ? await this.writtenBefore([streamId], multi, command, commandContext, commandSteps) : null;
        if (written) return { state: written.streams[0].state, committed: Promise.resolve(singleStream(written)) };
        const decided = await this.attempt([streamId], multi, command, commandContext, options, commandSteps, append);
        return { state: decided.states[0], committed: decided.committed.then(singleStream) };
      };
      const unit = new UnitOfWork(steps, beginOne);
      let result: T;
      try {
        result = await build(unit);
      } catch (error) {
        unit.abandon(new NotAppended());
        throw error;
      }
      try {
        await unit.append(this.store);
        return result;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError || error instanceof StepWrittenBefore)) throw error;
        if (attempt >= MAX_ATTEMPTS) throw conflict();
      }
    }
  }

  /** Current state of a stream, for reads that must see the write side (e.g. token checks). */
  async load<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>): Promise<StreamState & { state: S }> {
    const entry = await this.read(streamId, decider);
    // A command's entry may be ahead of what the store had when the read began: keep it.
    if (entry.revision >= 0 && !this.cache.has(streamId) && !this.appending.has(streamId)) this.cache.set(streamId, entry);
    return entry as StreamState & { state: S };
  }

  private async retrying<C, E extends DomainEvent, S>(
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
    options: RunOptions,
    steps: number[] | undefined,
    firstAttempt = 1,
  ): Promise<MultiStreamOutcome<E, S>> {
    for (let attempt = firstAttempt; ; attempt++) {
      const decided = await this.attempt(streamIds, decider, command, context, attempt === 1 ? options : {}, steps);
      try {
        return await decided.committed;
      } catch (error) {
        const handedBack = await this.handedBackAfter(error, streamIds, decider, command, context, steps);
        if (handedBack) return handedBack;
        if (attempt >= MAX_ATTEMPTS) throw conflict();
      }
    }
  }

  /**
   * After an append failed: what another attempt of the keyed request wrote for this command,
   * or null for a conflict to retry; any other failure is thrown. A store that checks ids first
   * (SQLite) reports such a step with StepWrittenBefore; EventStoreDB checks revisions first,
   * so there a conflict may be one too.
   */
  private async handedBackAfter<C, E extends DomainEvent, S>(
    error: unknown,
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
    steps: number[] | undefined,
  ): Promise<MultiStreamOutcome<E, S> | null> {
    if (error instanceof StepWrittenBefore) return this.handBack(streamIds, decider, command, context, steps);
    if (!(error instanceof WrongExpectedRevisionError)) throw error;
    return this.store.checksHashChain ? null : this.writtenBefore(streamIds, decider, command, context, steps);
  }

  /**
   * One attempt: decide on the streams' current states, remember the outcome for the next
   * command on them, and append with the matching expectations. On failure the streams' cache
   * entries are dropped and the store's error passes through.
   */
  private async attempt<C, E extends DomainEvent, S>(
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
    options: RunOptions,
    /** The command's place in its keyed request, per stream: its event ids derive from it. */
    steps: number[] | undefined,
    append: Appender = this.appendToStore,
  ): Promise<{ states: S[]; committed: Promise<MultiStreamOutcome<E, S>> }> {
    const loaded = await this.currentStates(streamIds, decider, options);
    // Another command may have advanced a stream meanwhile: its entry is newer.
    const current = streamIds.map((id) => this.cache.peek(id) ?? (loaded.get(id) as StreamState));
    const states = current.map((c) => c.state as S);
    const decided = decider.decide(command, states);
    if (new Set(streamIds).size !== streamIds.length && decided.some((events) => events.length > 0)) {
      throw new Error('A multi-stream decision wrote to a stream it names twice');
    }
    if (decided.every((events) => events.length === 0)) {
      const streams = current.map((c) => ({ events: [], state: c.state as S, revision: c.revision }));
      return { states, committed: Promise.resolve({ streams, position: null }) };
    }

    const plan: Decided<E, S> = { streams: [] };
    streamIds.forEach((streamId, s) => {
      const base = current[s];
      let lastHash = base.lastHash;
      const written = decided[s].map((event, i): WrittenEvent<E> => {
        const metadata = this.metadata(context, lastHash);
        metadata.hash = eventHash(event.type, event.data, metadata);
        lastHash = metadata.hash;
        // Time-ordered (UUIDv7): the event store's unique index on ids grows at its right edge,
        // one page per commit rather than one random page per event.
        const id = steps === undefined ? uuidv7() : (context.keyedRequest as KeyedRequest).eventId(streamId, steps[s], i);
        return { id, type: event.type, data: event.data, metadata, revision: base.revision + 1 + i };
      });
      // The written events, not the decided ones: evolve also sees when they happened.
      const state = fold(decider, written, base.state as S);
      const revision = base.revision + written.length;
      if (written.length) this.cache.set(streamId, { state, revision, lastHash });
      plan.streams.push({ streamId, written, state, revision, expected: base.revision });
    });

    const appends: StreamAppend[] = plan.streams.map((p) => ({
      streamId: p.streamId,
      events: p.written.map((e) => ({ id: e.id, type: e.type, data: e.data as JsonObject, metadata: e.metadata })),
      expectedRevision: p.expected < 0 ? 'no_stream' : p.expected,
    }));
    const appended = append(appends);
    const settled = appended.then(
      () => undefined,
      () => undefined,
    );
    for (const { streamId } of appends) this.appending.set(streamId, settled);
    void settled.then(() => {
      for (const { streamId } of appends) if (this.appending.get(streamId) === settled) this.appending.delete(streamId);
    });

    const committed = appended.then(
      (results): MultiStreamOutcome<E, S> => {
        // The store found these ids written already, elsewhere than decided here: another attempt
        // of this keyed request (one taken over while still running) wrote this step first.
        if (steps && results.some((result, s) => plan.streams[s].written.length > 0 && result.nextRevision !== plan.streams[s].revision)) {
          for (const { streamId } of appends) this.cache.delete(streamId);
          throw new StepWrittenBefore();
        }
        if (steps) context.keyedRequest?.noteWrite();
        const position = Math.max(...results.map((r) => r.position));
        this.positions.record(position);
        return {
          streams: plan.streams.map((p) => ({ events: p.written, state: p.state, revision: p.revision })),
          position,
        };
      },
      (error: unknown) => {
        // Refused on its expectation, nothing written; after any other failure (a store that went
        // away mid-append) it may have been.
        if (steps && !(error instanceof WrongExpectedRevisionError || error instanceof NotAppended)) context.keyedRequest?.noteWrite();
        for (const { streamId } of appends) {
          // Whatever is cached now was built on our failed append (or is ours): drop it.
          this.cache.delete(streamId);
          // A read already in flight may predate the write we lost to: retry from a fresh one.
          this.loading.delete(streamId);
        }
        throw error;
      },
    );
    return { states: plan.streams.map((p) => p.state), committed };
  }

  /**
   * What this command of a keyed request wrote in another attempt of the request (one whose
   * process died, or was taken over while still running), if it got that far: its first event,
   * by its derived id, is in the log. Handed back as that attempt's outcome, but only if deciding
   * the command again, on the state it was decided on then, gives exactly the events written: a
   * rerun that decides otherwise (an answer read from a projection that has moved on) is refused
   * with a CONFLICT, as neither the old outcome nor a second write would be this request's answer.
   */
  private async writtenBefore<C, E extends DomainEvent, S>(
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
    steps: number[] | undefined,
    /** The store said the step's ids are in the log: look through the whole streams. */
    knownWritten = false,
  ): Promise<MultiStreamOutcome<E, S> | null> {
    const request = context.keyedRequest;
    if (!request || steps === undefined) return null;
    if (!knownWritten) {
      const found = await Promise.all(streamIds.map((id, s) => this.isRecentlyWritten(id, request.eventId(id, steps[s], 0), request.claimedAt)));
      if (!found.includes(true)) return null;
    }
    const histories = await Promise.all(streamIds.map((id) => this.store.readStream(id)));
    const starts = streamIds.map((id, s) => histories[s].findIndex((event) => event.id === request.eventId(id, steps[s], 0)));
    if (starts.every((start) => start < 0)) return null;

    const before = histories.map((events, s) => (starts[s] < 0 ? events : events.slice(0, starts[s])));
    let decided: Array<Array<{ type: string; data: unknown }>>;
    try {
      decided = decider.decide(
        command,
        before.map((events) => fold(decider, events as unknown as E[])),
      );
    } catch {
      throw interrupted();
    }
    const written = decided.map((events, s) => (starts[s] < 0 ? [] : histories[s].slice(starts[s], starts[s] + events.length)));
    const same = decided.every(
      (events, s) =>
        written[s].length === events.length &&
        events.every((event, i) => {
          const stored = written[s][i];
          return stored.id === request.eventId(streamIds[s], steps[s], i) && stored.type === event.type && sameData(stored.data, event.data);
        }),
    );
    if (!same) throw interrupted();

    const streams = streamIds.map((_, s) => {
      const events = written[s].map(({ id, type, data, metadata, revision }) => ({ id, type, data, metadata, revision }) as WrittenEvent<E>);
      const base = before[s];
      const state = fold(decider, events, fold(decider, base as unknown as E[]));
      const revision = events.length ? events[events.length - 1].revision : base.length ? base[base.length - 1].revision : -1;
      return { events, state, revision };
    });
    const position = Math.max(...written.flat().map((event) => event.position));
    this.positions.record(position);
    request.noteWrite();
    return { streams, position };
  }

  /**
   * Whether `eventId` is among the stream's events recorded since `since` (ms; less a minute,
   * for clocks that differ): read from the end, so a long stream (a workspace's ticket numbers)
   * costs the pages written since the request's claim, not a full read. By the store's
   * recording time, which rises along a stream (a resumed request's own `occurred_at` is its
   * claim's, earlier than events recorded before it).
   */
  private async isRecentlyWritten(streamId: string, eventId: string, since: number): Promise<boolean> {
    let fromRevision: number | undefined;
    for (;;) {
      const page = await this.store.readStream(streamId, { direction: 'backwards', fromRevision, maxCount: RECENT_PAGE });
      if (page.some((event) => event.id === eventId)) return true;
      const oldest = page[page.length - 1];
      if (page.length < RECENT_PAGE || oldest.revision === 0 || Date.parse(oldest.createdAt) < since - CLOCK_SKEW_MS) return false;
      fromRevision = oldest.revision - 1;
    }
  }

  /** The outcome another attempt of the keyed request wrote for this command (see StepWrittenBefore). */
  private async handBack<C, E extends DomainEvent, S>(
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    command: C,
    context: CommandContext,
    steps: number[] | undefined,
  ): Promise<MultiStreamOutcome<E, S>> {
    const written = await this.writtenBefore(streamIds, decider, command, context, steps, true);
    if (!written) throw interrupted();
    return written;
  }

  /**
   * Reads the streams that are not cached (the cached state, possibly still in flight where the
   * store checks the chain, is what a decision starts from). Where the store checks only
   * revisions, first waits until no append is in flight on any of the streams, so the state is
   * a committed one.
   */
  private async currentStates<C, E extends DomainEvent, S>(
    streamIds: string[],
    decider: MultiStreamDecider<C, E, S>,
    options: RunOptions,
  ): Promise<Map<string, StreamState>> {
    const loaded = new Map<string, StreamState>();
    for (;;) {
      if (!this.store.checksHashChain) {
        const busy = streamIds.map((id) => this.appending.get(id)).filter((p): p is Promise<unknown> => p !== undefined);
        if (busy.length) {
          await Promise.all(busy);
          continue;
        }
      }
      const missing = [...new Set(streamIds)].filter((id) => !this.cache.has(id) && !loaded.has(id));
      if (missing.length === 0) break;
      if (this.surelyNew(streamIds, options)) {
        for (const id of missing) loaded.set(id, emptyStream(decider));
        break;
      }
      const entries = await Promise.all(missing.map((id) => this.loadForCommand(id, decider)));
      missing.forEach((id, i) => loaded.set(id, entries[i]));
      // Look again: a cached stream may have been evicted (or dropped by a failed append) while
      // we read, and where appends are not chain-checked one may have started meanwhile.
    }
    // Taken now, with no await since the check: the caller finds a state for every stream even
    // if a cache entry goes before it decides.
    for (const id of streamIds) if (!loaded.has(id)) loaded.set(id, this.cache.peek(id) as StreamState);
    return loaded;
  }

  private surelyNew(streamIds: string[], options: RunOptions): boolean {
    if (streamIds.length !== 1) return false;
    return options.newStream === true || (options.findOrCreate === true && this.store.streamMayExist?.(streamIds[0]) === false);
  }

  private async read<E extends DomainEvent, S>(streamId: string, decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>): Promise<StreamState> {
    const events = await this.store.readStream(streamId);
    return {
      state: fold(decider, events),
      revision: events.length ? events[events.length - 1].revision : -1,
      lastHash: events.length ? (events[events.length - 1].metadata.hash ?? null) : null,
    };
  }

  /**
   * Reads a stream for a command and caches it, also when it does not exist yet (revision -1):
   * the next command on it (a find-or-create, a retry) then decides without reading the store
   * again. Safe like any cache entry: the append carries the expectation, so a stale entry only
   * costs a conflict and a fresh read.
   */
  private loadForCommand<E extends DomainEvent, S>(streamId: string, decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>): Promise<StreamState> {
    const inFlight = this.loading.get(streamId);
    if (inFlight) return inFlight;
    const promise = this.read(streamId, decider)
      .then((entry) => {
        if (!this.cache.has(streamId) && this.loading.get(streamId) === promise) this.cache.set(streamId, entry);
        return entry;
      })
      .finally(() => {
        if (this.loading.get(streamId) === promise) this.loading.delete(streamId);
      });
    this.loading.set(streamId, promise);
    return promise;
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

/** Equal event data; sealed secrets compare by what they hide (every seal has its own IV). */
function sameData(stored: unknown, decided: unknown): boolean {
  try {
    return canonicalJson(withSecretsOpened(stored)) === canonicalJson(withSecretsOpened(decided));
  } catch {
    return false; // sealed under a key this process does not hold
  }
}

function withSecretsOpened(value: unknown): unknown {
  if (isSealed(value)) return { sealed: openSecret(value) };
  if (Array.isArray(value)) return value.map(withSecretsOpened);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withSecretsOpened(item)]));
  return value;
}

/** Each stream's count of this keyed request's commands on it (none outside a keyed request). */
const stepsOf = (streamIds: string[], context: CommandContext): number[] | undefined => {
  const request = context.keyedRequest;
  return request && streamIds.map((id) => request.nextStep(id));
};

/** An append whose events' ids were already in the log, at other revisions than decided. */
class StepWrittenBefore extends Error {}

/** One append for one stream, one atomic multi-stream append for several. */
function appendAtomically(store: EventStore, appends: StreamAppend[]): Promise<AppendResult[]> {
  return appends.length === 1
    ? store.append(appends[0].streamId, appends[0].events, appends[0].expectedRevision).then((result) => [result])
    : store.appendToStreams(appends);
}

/** A unit of work given up before its append: none of its commands wrote anything. */
class NotAppended extends Error {}

type BeginInUnit = <C, E extends DomainEvent, S>(
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  context: CommandContext,
  options: RunOptions,
  steps: number[] | undefined,
  append: Appender,
) => Promise<{ state: S; committed: Promise<CommandOutcome<E, S>> }>;

/** The commands of one attempt of a unit of work (CommandRunner.runTogether) and their appends. */
class UnitOfWork implements CommandStarter {
  private readonly appends: StreamAppend[] = [];
  private readonly waiting: Array<{ from: number; count: number; resolve: (results: AppendResult[]) => void; reject: (error: unknown) => void }> = [];
  private readonly outcomes: Array<Promise<unknown>> = [];
  private begun = 0;
  private abandoned: unknown = undefined;

  constructor(
    /** Keyed requests: each command's steps, by its place in the unit, kept across attempts. */
    private readonly steps: Map<string, number[] | undefined>,
    private readonly beginOne: BeginInUnit,
  ) {}

  async begin<C, E extends DomainEvent, S>(streamId: string, decider: Decider<C, E, S>, command: C, context: CommandContext, options: RunOptions = {}) {
    const place = `${this.begun++}:${streamId}`;
    if (!this.steps.has(place)) this.steps.set(place, stepsOf([streamId], context));
    const begun = await this.beginOne(streamId, decider, command, context, options, this.steps.get(place), (appends) => this.collect(appends));
    // The unit reports a failed append itself; the caller of a failed attempt never awaits this.
    begun.committed.catch(() => undefined);
    this.outcomes.push(begun.committed);
    return begun;
  }

  /**
   * Appends what the unit's commands decided as one atomic append and settles each of them;
   * throws the append's error, or StepWrittenBefore when a keyed request's other attempt had
   * written a step first (the runner then hands back what it wrote).
   */
  async append(store: EventStore): Promise<void> {
    if (this.appends.length > 0) {
      try {
        const results = await appendAtomically(store, this.appends);
        for (const { from, count, resolve } of this.waiting) resolve(results.slice(from, from + count));
      } catch (error) {
        this.abandon(error);
        throw error;
      }
    }
    for (const outcome of await Promise.allSettled(this.outcomes)) {
      if (outcome.status === 'rejected') throw outcome.reason;
    }
  }

  /** Nothing of the unit is appended: each command fails with `error` (and drops what it cached). */
  abandon(error: unknown): void {
    this.abandoned = error;
    for (const { reject } of this.waiting) reject(error);
    this.waiting.length = 0;
  }

  private collect(appends: StreamAppend[]): Promise<AppendResult[]> {
    // A command still being decided when the unit was given up (build failed meanwhile).
    if (this.abandoned !== undefined) return Promise.reject(this.abandoned);
    if (appends.some((append) => this.appends.some((other) => other.streamId === append.streamId))) {
      return Promise.reject(new Error('A unit of work appends to a stream twice'));
    }
    return new Promise((resolve, reject) => {
      this.waiting.push({ from: this.appends.length, count: appends.length, resolve, reject });
      this.appends.push(...appends);
    });
  }
}

function asMultiStream<C, E extends DomainEvent, S>(decider: Decider<C, E, S>): MultiStreamDecider<C, E, S> {
  return { decide: (command, [state]) => [decider.decide(command, state)], evolve: decider.evolve, initialState: decider.initialState };
}

function singleStream<E extends DomainEvent, S>({ streams: [stream], position }: MultiStreamOutcome<E, S>): CommandOutcome<E, S> {
  return { ...stream, position };
}

const emptyStream = <S>(decider: { initialState: S }): StreamState => ({ state: decider.initialState, revision: -1, lastHash: null });
const interrupted = () =>
  new DomainError(
    'CONFLICT',
    'An earlier attempt of this request was interrupted after writing part of it, and it cannot be completed the same way; send it again with a new Idempotency-Key',
  );
const conflict = () => new DomainError('CONFLICT', 'The resource was modified concurrently; retry the request');
