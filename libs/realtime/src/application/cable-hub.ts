import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Redis } from 'ioredis';
import { timingSafeEqual } from 'node:crypto';
import { FindContactSessionQuery, type ContactSession } from '@ledgerdesk/channel';
import { GetInboxQuery, type InboxView } from '@ledgerdesk/inboxes';
import type { EventStore, RecordedEvent, Subscription } from '@ledgerdesk/event-store';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { backgroundRedisRetryStrategy } from '@ledgerdesk/runtime';
import { DomainError, hashSecret, type SecretBox } from '@ledgerdesk/shared';
import type { Audience, CableEvent, TicketFacts, TypingSignal } from '../domain/audience';
import { CLOSE_BAD_REQUEST, CLOSE_TOO_MANY_SOCKETS, LIMITS } from '../domain/cable-protocol';
import { CableEventBuilder, type CableAudiences } from './cable-events';
import { CableSubscriber, type CableSocket } from './cable-subscriber';
import { SocketLeases } from '../infrastructure/socket-leases';

const TYPING_CHANNEL = 'ld:cable:typing';
/** The sessions indexed at start are read this many at a time. */
const SESSION_PAGE = 500;
/**
 * A replay reads, builds and sends this many events at a time: fewer than REPLAY_UNREAD_HIGH,
 * so the next page is built while the client reads the last one, and less is held at once (a
 * resume from 0 ran faster at 200 than at 500 or 2,000).
 */
const REPLAY_PAGE = 200;
/**
 * A replay waits while the client has this many of its frames to read (it paces itself, never
 * closes); well under the 1,000 behind at which a live subscriber is closed, as it goes live.
 */
const REPLAY_UNREAD_HIGH = 512;
const SESSION_EVENT: ReadonlySet<string> = new Set(['ContactSessionOpened']);
/** How long a lookup of an unknown pubsub token waits for the tail to reach the head (a session opened a moment ago elsewhere). */
const TOKEN_CATCH_UP_MS = 2_000;

interface SessionRef {
  sourceId: string;
}

/**
 * Real time in one API process (ARCHITECTURE.md "Real time"): one subscription to the log from
 * the head at start, each event built once into a CableEvent and fanned out to this process's
 * sockets, filtered per audience; resumes served from the log (readAll pages) with no gap and no
 * duplicate; typing over Redis pub/sub, never stored. Contacts are found by their pubsub token
 * through an index of the log's ContactSessionOpened events (their tokens are sealed), built at
 * start and kept by the tail, so a fresh process knows every session.
 */
@Injectable()
export class CableHub implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('CableHub');
  private readonly store: EventStore;
  private readonly secrets: SecretBox;
  private readonly builder: CableEventBuilder;
  private readonly subscribers = new Map<string, Set<CableSubscriber>>();
  /** The sockets per session and per key, counted across every API process sharing Redis. */
  private readonly leases = new SocketLeases(() => this.publisher);
  private readonly releases = new Map<CableSocket, () => void>();
  /** sha256 of a pubsub token -> its session. */
  private readonly tokens = new Map<string, SessionRef>();
  private subscription: Subscription | null = null;
  private tailPosition = 0;
  private readonly tailWaiters = new Set<() => void>();
  private tailLoop: Promise<void> | null = null;
  private publisher: Redis | null = null;
  private listener: Redis | null = null;
  private stopped = false;
  /** Frames sent, for the bench and metrics. */
  framesSent = 0;

  constructor(
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly queries: QueryBus,
  ) {
    this.store = infrastructure.eventStore;
    this.secrets = infrastructure.secrets;
    this.builder = new CableEventBuilder(this.store);
  }

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.store.headPosition();
    this.tailPosition = head;
    this.subscription = this.store.subscribeToAll({ afterPosition: head });
    // The sessions opened before the tail's start; the tail adds the later ones.
    let after = 0;
    for (;;) {
      const page = await this.store.readAll({ afterPosition: after, maxCount: SESSION_PAGE, eventTypes: SESSION_EVENT });
      for (const event of page) this.indexSession(event);
      if (page.length < SESSION_PAGE) break;
      after = page[page.length - 1].position;
    }
    this.tailLoop = this.tail(this.subscription);
    this.startTyping();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.leases.releaseAll();
    for (const set of this.subscribers.values()) for (const s of set) s.socket.close(1001, 'Server shutting down');
    await this.subscription?.close();
    await this.tailLoop;
    // Typing is never stored, so nothing is lost by dropping the connections: a QUIT would wait
    // for a stalled Redis and hold the shutdown.
    for (const client of [this.publisher, this.listener]) client?.disconnect();
  }

  /** Log position the tail has fanned out. */
  get position(): number {
    return this.tailPosition;
  }

  get subscriberCount(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** The session a pubsub token names; null when unknown, its customer is erased, or its inbox disabled (its client API answers 404). */
  async sessionByToken(token: string): Promise<ContactSession | null> {
    const key = hashSecret(token);
    let ref = this.tokens.get(key);
    if (!ref) {
      // Opened a moment ago (maybe by another process): wait until the tail reaches today's head.
      await this.waitForTail(await this.store.headPosition(), TOKEN_CATCH_UP_MS);
      ref = this.tokens.get(key);
    }
    if (!ref) return null;
    const session: ContactSession | null = await this.queries.execute(new FindContactSessionQuery(ref.sourceId));
    if (!session || !sameSecret(session.pubsub_token, token)) return null;
    return (await this.inboxEnabled(session)) ? session : null;
  }

  private async inboxEnabled(session: ContactSession): Promise<boolean> {
    try {
      const inbox: InboxView = await this.queries.execute(new GetInboxQuery(session.workspace_id, session.inbox_id));
      return inbox.enabled;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'NOT_FOUND') return false;
      throw error;
    }
  }

  /**
   * Subscribes a socket: registered for live events first, then `subscribed` with the head,
   * then the replay of every visible event after `after` (the head when null), then live.
   * Refused (closed) when the session or key holds too many sockets, or `after` is beyond the head.
   */
  async subscribe(socket: CableSocket, audience: Audience, after: number | null): Promise<CableSubscriber | null> {
    const limitKey = audience.kind === 'staff' ? `key:${audience.keyId}` : `session:${audience.session.source_id}`;
    const limit = audience.kind === 'staff' ? LIMITS.socketsPerWorkspaceKey : LIMITS.socketsPerSession;
    const release = await this.leases.acquire(limitKey, limit);
    if (!release) {
      socket.send(JSON.stringify({ type: 'error', code: 'TOO_MANY_REQUESTS', message: `At most ${limit} sockets` }));
      socket.close(CLOSE_TOO_MANY_SOCKETS, 'Too many sockets');
      return null;
    }
    if (socket.closed) {
      release();
      return null;
    }
    let head: number;
    try {
      head = await this.store.headPosition();
    } catch (error) {
      release();
      throw error;
    }
    if (after !== null && after > head) {
      // No event has that position yet: a client holding it would silently miss every event up to it.
      release();
      socket.send(JSON.stringify({ type: 'error', code: 'BAD_REQUEST', message: `after (${after}) is beyond the log's head (${head})` }));
      socket.close(CLOSE_BAD_REQUEST, 'after is beyond the head');
      return null;
    }
    const subscriber = new CableSubscriber(audience, socket, after ?? head, (n) => (this.framesSent += n));
    let set = this.subscribers.get(audience.workspaceId);
    if (!set) this.subscribers.set(audience.workspaceId, (set = new Set()));
    set.add(subscriber);
    this.releases.set(socket, () => {
      set.delete(subscriber);
      if (set.size === 0 && this.subscribers.get(audience.workspaceId) === set) this.subscribers.delete(audience.workspaceId);
      release();
    });
    subscriber.send(JSON.stringify({ type: 'subscribed', position: head }));
    try {
      await this.replay(subscriber);
    } catch (error) {
      this.logger.warn(`Replay failed: ${(error as Error).message}`);
      subscriber.socket.close(1011, 'Replay failed: resume with after');
    }
    subscriber.goLive();
    if (socket.closed) this.disconnect(socket);
    return subscriber;
  }

  /** Forgets a closed socket (whenever it closed: during its replay too). */
  disconnect(socket: CableSocket): void {
    const release = this.releases.get(socket);
    this.releases.delete(socket);
    release?.();
  }

  /** Publishes typing to every API process (Redis pub/sub); this process alone when Redis is away. */
  async publishTyping(signal: TypingSignal): Promise<void> {
    try {
      if (!this.publisher || this.publisher.status !== 'ready') throw new Error('Redis is not connected');
      await this.publisher.publish(TYPING_CHANNEL, JSON.stringify(signal));
    } catch {
      this.fanOutTyping(signal);
    }
  }

  /** What a typing signal needs of a ticket, from its first event (TicketCreated); null when it is not the workspace's. */
  async ticketFacts(workspaceId: string, ticketId: string): Promise<TicketFacts | null> {
    const [created] = await this.store.readStream(`ticket-${ticketId}`, { maxCount: 1 });
    const data = created?.data as { workspace_id?: string; inbox_id?: string | null; customer?: { id: string }; source_id?: string | null } | undefined;
    if (!data || created.type !== 'TicketCreated' || data.workspace_id !== workspaceId || !data.customer) return null;
    return {
      ticket_id: ticketId,
      workspace_id: workspaceId,
      inbox_id: data.inbox_id ?? null,
      customer_id: data.customer.id,
      source_id: data.source_id ?? null,
    };
  }

  private async replay(subscriber: CableSubscriber): Promise<void> {
    const builder = new CableEventBuilder(this.store);
    const { audience, socket } = subscriber;
    const audiences: CableAudiences = { staff: audience.kind === 'staff', contact: audience.kind === 'contact' };
    for (;;) {
      if (socket.closed) return;
      const page = await this.store.readAll({ afterPosition: subscriber.gate.covered, maxCount: REPLAY_PAGE });
      const events: CableEvent[] = new Array(page.length);
      for (let i = 0; i < page.length; i++) {
        const event = page[i];
        events[i] = event.metadata.workspace_id === audience.workspaceId ? await builder.build(event, audiences) : skipped(event);
      }
      subscriber.deliverReplayed(events);
      if (subscriber.gate.replayDone(page.length < REPLAY_PAGE)) return;
      await readByClient(socket, REPLAY_UNREAD_HIGH);
    }
  }

  private async tail(subscription: Subscription): Promise<void> {
    try {
      for await (const event of subscription) {
        if (event.type === 'ContactSessionOpened') this.indexSession(event);
        const workspaceId = event.metadata.workspace_id;
        const listeners = workspaceId ? this.subscribers.get(workspaceId) : undefined;
        if (listeners && listeners.size > 0) {
          const cable = await this.builder.build(event, audiencesOf(listeners));
          for (const subscriber of listeners) subscriber.deliverLive(cable);
        } else {
          this.builder.observe(event);
        }
        this.tailPosition = event.position;
        for (const wake of this.tailWaiters) wake();
      }
    } catch (error) {
      if (!this.stopped) this.logger.error(`The real-time tail stopped: ${(error as Error).message}`);
    }
  }

  private waitForTail(position: number, timeoutMs: number): Promise<void> {
    if (this.tailPosition >= position) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.tailWaiters.delete(check);
        resolve();
      };
      const check = () => {
        if (this.tailPosition >= position) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.tailWaiters.add(check);
    });
  }

  private indexSession(event: RecordedEvent): void {
    const data = event.data as { source_id?: string; pubsub_token?: string };
    if (!data.source_id || !data.pubsub_token) return;
    try {
      this.tokens.set(hashSecret(this.secrets.open(data.pubsub_token)), { sourceId: data.source_id });
    } catch (error) {
      this.logger.warn(`A session's pubsub token does not open: ${(error as Error).message}`);
    }
  }

  private startTyping(): void {
    const url = this.infrastructure.redis.url;
    const options = { retryStrategy: backgroundRedisRetryStrategy, maxRetriesPerRequest: null, lazyConnect: false };
    this.publisher = new Redis(url, { ...options, enableOfflineQueue: false });
    this.listener = new Redis(url, options);
    for (const client of [this.publisher, this.listener]) client.on('error', () => undefined);
    void this.listener.subscribe(TYPING_CHANNEL).catch(() => undefined);
    this.listener.on('message', (_channel: string, message: string) => {
      try {
        this.fanOutTyping(JSON.parse(message) as TypingSignal);
      } catch {
        // not ours: ignore
      }
    });
  }

  private fanOutTyping(signal: TypingSignal): void {
    for (const subscriber of this.subscribers.get(signal.ticket.workspace_id) ?? []) subscriber.deliverTyping(signal);
  }
}

/** The audiences among a workspace's subscribers: an event is built for those only. */
function audiencesOf(listeners: Iterable<CableSubscriber>): CableAudiences {
  let staff = false;
  let contact = false;
  for (const { audience } of listeners) {
    if (audience.kind === 'staff') staff = true;
    else contact = true;
    if (staff && contact) break;
  }
  return { staff, contact };
}

/** Waits until the client has at most `maxUnread` frames to read (or the socket closed). */
async function readByClient(socket: CableSocket, maxUnread: number): Promise<void> {
  if (socket.whenRead) return socket.whenRead(maxUnread);
  while (socket.unreadFrames() > maxUnread && !socket.closed) await new Promise((r) => setTimeout(r, 5));
}

/** An event of another workspace, for the replay's position bookkeeping only. */
const skipped = (event: RecordedEvent): CableEvent => ({
  position: event.position,
  workspaceId: event.metadata.workspace_id ?? null,
  staff: null,
  contact: null,
  erasedCustomerId: null,
  disabledInboxId: null,
});

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
