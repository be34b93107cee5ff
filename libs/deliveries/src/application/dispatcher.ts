import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EventStore, RecordedEvent, Subscription } from '@ledgerdesk/event-store';
import type { RuntimeLogger } from '@ledgerdesk/runtime';
import { nameBasedIds } from '@ledgerdesk/shared';
import { webhookEndpointsDecider, subscribes } from '../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../domain/webhook-endpoint.events';
import { slackIntegrationDecider } from '../domain/slack-integration.decider';
import { slackIntegrationStreamId } from '../domain/slack-integration.events';
import { cutForSlack, slackEscape } from '../domain/slack-posting';
import { DELIVERY_RETENTION_SECONDS, type DeliveryKind, type DeliveryLog, type DeliveryRecord } from '../infrastructure/delivery-log';
import { delayUntil, deliveryJobOptions, newDeliveryJobId, type DeliveryJobData } from '../infrastructure/queues';
import { editedMessageIdOf, messageOf, senderNameOf, ticketIdOfStream, webhookTypeOf, type MessagePayload } from './event-mapping';
import { inboxDestinationFold, inboxStreamIdOf, StreamFolds } from './stream-folds';
import { TicketSnapshots } from './ticket-snapshots';
import { announcesTicket, senderOf, type AuthorType, type TicketView } from '@ledgerdesk/tickets';
import { erasedCustomer } from '@ledgerdesk/customers';

export const DISPATCHER_CHECKPOINT_KEY = 'ld:dispatcher:checkpoint';
const deliveryIds = nameBasedIds('6f1d7f2e-5a43-4c1b-9a57-0d2f3c8e4b10');
const CHECKPOINT_EVERY_MS = 100;
/**
 * Events dispatched together: a batch that filled up lets the next one take twice as many, up
 * to MAX_BATCH. A backlog's first jobs go out after its first MIN_BATCH events; its later
 * batches are big enough for bigger jobs (see JOB_HEADS).
 */
const MIN_BATCH = 200;
const MAX_BATCH = 2_000;
/**
 * Heads of ordering sets (each job carries on with the later deliveries of its tickets) one
 * new job is given, per destination of a batch: JOB_HEADS; in a batch with more heads than
 * MIN_JOBS such jobs (a backlog), as many as still make MIN_JOBS jobs, up to MAX_JOB_HEADS.
 * Jobs attempt their deliveries one after the other, so a backlog must still make more jobs
 * than a worker runs at once (WEBHOOK_CONCURRENCY, 20 by default); past that, a bigger job
 * pays BullMQ's work per job (add, fetch, lock, completion) once for more deliveries. Slack
 * posts go one a second per channel anyway.
 */
const JOB_HEADS: Record<DeliveryKind, number> = { webhook: 8, callback: 8, slack: 1 };
const MAX_JOB_HEADS: Record<DeliveryKind, number> = { webhook: 32, callback: 32, slack: 1 };
const MIN_JOBS = 32;
const NOT_READY = Symbol('not-ready');
const nextMacrotask = () => new Promise<typeof NOT_READY>((resolve) => setImmediate(() => resolve(NOT_READY)));

/** Deterministic: the same event and destination always make the same delivery (and job) id. */
export const deliveryIdFor = (kind: DeliveryKind, destinationId: string, eventId: string) => deliveryIds(`${kind}:${destinationId}:${eventId}`);

/**
 * The dispatcher: follows the event log from its own checkpoint (in Redis, beside the jobs it
 * creates; never a projection checkpoint, so rebuilding a projection dispatches nothing) and
 * turns each event into delivery records and BullMQ jobs. It is the only component that
 * decides *what* is delivered *where*; workers only carry it out.
 *
 * Crash safety: the checkpoint is saved only after the jobs of the events it covers were
 * added. After a crash it re-reads some events; their deliveries have the same ids, so the
 * delivery log keeps its records and BullMQ ignores the repeated job ids.
 *
 * No checkpoint (a brand-new dispatcher, or a Redis that lost the key): it starts at the
 * beginning of the log, on purpose. Starting at the head instead would silently drop whatever
 * was written while no dispatcher ran (e.g. a worker deployed after the API took traffic with
 * endpoints configured), and a lost event is worse than a repeated one for an integrator. A
 * re-read is safe as far as the delivery log reaches: every delivery record (kept 30 days after
 * its last write) refuses to be created again, so nothing delivered, failed or pending is sent
 * twice. Beyond that horizon nothing could dedupe, so events recorded longer ago than the record
 * retention (`maxEventAgeMs`) are never dispatched at all, whatever the checkpoint: a
 * dispatcher that finds no checkpoint never floods receivers with history they got long ago,
 * and neither does one that was stopped for over a month. If Redis lost everything (records
 * too), events of the last 30 days are delivered again (same webhook-id, so receivers that
 * dedupe on it are safe); that is the documented price of not losing events.
 */
export class Dispatcher {
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;
  private position = 0;
  private savedPosition = 0;
  private lastSave = 0;
  private readonly folds: StreamFolds;
  /** Customers' streams, for the tickets' snapshots: a cache of their own, so many customers never evict the few destination streams. */
  private readonly customers: StreamFolds;
  private readonly snapshots: TicketSnapshots;
  failed: Error | null = null;
  private readonly maxEventAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly store: EventStore,
    private readonly redis: Redis,
    private readonly log: DeliveryLog,
    private readonly queues: { webhooks: Queue<DeliveryJobData>; slack: Queue<DeliveryJobData> },
    private readonly logger: RuntimeLogger,
    options: { maxEventAgeMs?: number; now?: () => number } = {},
  ) {
    this.folds = new StreamFolds(store);
    this.customers = new StreamFolds(store);
    this.snapshots = new TicketSnapshots(store, this.customers);
    this.maxEventAgeMs = options.maxEventAgeMs ?? DELIVERY_RETENTION_SECONDS * 1000;
    this.now = options.now ?? Date.now;
  }

  get checkpoint(): number {
    return this.position;
  }

  async start(): Promise<void> {
    const saved = await this.redis.get(DISPATCHER_CHECKPOINT_KEY);
    this.position = this.savedPosition = saved ? Number(saved) : 0;
    if (!saved) this.logger.warn('dispatcher: no checkpoint in Redis, reading the log from the beginning (delivery records dedupe what was already delivered)');
    this.subscription = this.store.subscribeToAll({ afterPosition: this.position });
    this.loop = this.follow(this.subscription);
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
    this.subscription = null;
    await this.saveCheckpoint();
  }

  /**
   * Reads the subscription in batches: whatever events are ready within one macrotask (up to
   * the batch's limit, see MIN_BATCH) are dispatched together, with one Redis round trip for
   * their delivery records and one for their jobs. Caught up, a batch is usually one event, so
   * latency stays as low as event-at-a-time; behind (a backlog, a restart), it is what makes
   * the dispatcher keep up with the workers instead of paying two round trips per event.
   */
  private async follow(subscription: Subscription): Promise<void> {
    const iterator = subscription[Symbol.asyncIterator]();
    let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
    let done = false;
    let limit = MIN_BATCH;
    try {
      while (!done) {
        const first: IteratorResult<RecordedEvent> = await (pending ?? iterator.next());
        pending = null;
        if (first.done) break;
        const batch: RecordedEvent[] = [first.value];
        // One macrotask for the whole batch, not one per event: a backlog read from the file
        // is ready without I/O, so those would pile up (each holding its event) until a turn ends.
        const turnEnds = nextMacrotask();
        while (batch.length < limit) {
          pending = iterator.next();
          const next = await Promise.race([pending, turnEnds]);
          if (next === NOT_READY) break; // keep `pending` for the next round
          pending = null;
          if (next.done) {
            done = true;
            break;
          }
          batch.push(next.value);
        }
        limit = batch.length < limit ? MIN_BATCH : Math.min(MAX_BATCH, limit * 2);
        await this.dispatchBatch(batch);
        this.position = batch[batch.length - 1].position;
        // A full batch came without a turn of the event loop: give requests and timers theirs.
        await turnEnds;
        if (Date.now() - this.lastSave >= CHECKPOINT_EVERY_MS) {
          this.lastSave = Date.now();
          await this.saveCheckpoint();
        }
      }
    } catch (error) {
      // Never skip an event: stop here; the next start retries from the checkpoint.
      this.failed = error as Error;
      this.logger.warn(`dispatcher stopped at position ${this.position}: ${(error as Error).message}`);
      await subscription.close();
    }
  }

  private async saveCheckpoint(): Promise<void> {
    const position = this.position;
    if (position <= this.savedPosition) return;
    await this.redis.set(DISPATCHER_CHECKPOINT_KEY, String(position));
    this.savedPosition = position;
  }

  /** Exposed for tests: what a batch of events (in log order) turns into. */
  async dispatch(...events: RecordedEvent[]): Promise<void> {
    await this.dispatchBatch(events);
  }

  /**
   * Records first (in log order, one pipeline), each proposed to a new job, then the jobs that
   * own pending deliveries (one addBulk per queue; a job that exists is left as it is): a crash
   * in between leaves pending records whose jobs the re-dispatch adds. A delivery behind an
   * earlier one of its ticket gets no job: the job of the earlier one carries on with it.
   */
  private async dispatchBatch(events: RecordedEvent[]): Promise<void> {
    const records: DeliveryRecord[] = [];
    for (const event of events) records.push(...(await this.recordsFor(event)));
    if (records.length === 0) return;
    const outcomes = await this.log.createManyIfAbsent(proposeJobs(records));
    const jobs = { webhooks: new Map<string, { name: string; delayMs: number }>(), slack: new Map<string, { name: string; delayMs: number }>() };
    outcomes.forEach(({ owner, nextAttemptAt }, i) => {
      if (!owner) return; // finished (never again), or waiting behind an earlier delivery
      const byId = records[i].kind === 'slack' ? jobs.slack : jobs.webhooks;
      if (!byId.has(owner)) byId.set(owner, { name: records[i].kind, delayMs: delayUntil(nextAttemptAt) });
    });
    for (const [queue, list] of [
      [this.queues.webhooks, jobs.webhooks],
      [this.queues.slack, jobs.slack],
    ] as const) {
      if (list.size) await queue.addBulk([...list].map(([jobId, { name, delayMs }]) => ({ name, data: {}, opts: deliveryJobOptions(jobId, delayMs) })));
    }
  }

  private async recordsFor(event: RecordedEvent): Promise<DeliveryRecord[]> {
    this.folds.observe(event);
    this.customers.observe(event);
    this.snapshots.observe(event);
    // Older than the delivery records reach: nothing could tell whether it was delivered.
    if (this.now() - Date.parse(event.createdAt) > this.maxEventAgeMs) return [];
    const workspaceId = (event.metadata.workspace_id ?? (event.data as { workspace_id?: string }).workspace_id) as string | undefined;
    const type = webhookTypeOf(event);
    const ticketId = ticketIdOfStream(event.streamId);
    // A contact's edit is for the inbox callback only (message.updated): no webhook type names it.
    const editedId = ticketId ? editedMessageIdOf(event) : null;
    if (!workspaceId || (!type && !editedId)) return [];
    const isTicket = ticketId !== null;
    const message = messageOf(event);
    const records: DeliveryRecord[] = [];
    const base = (
      kind: DeliveryKind,
      destinationId: string,
      destinationKey: string,
      orderingKey: string | null,
      eventType: string,
      payload: Record<string, unknown>,
    ): DeliveryRecord => ({
      id: deliveryIdFor(kind, destinationId, event.id),
      kind,
      workspace_id: workspaceId,
      destination_id: destinationId,
      destination_key: destinationKey,
      ordering_key: orderingKey,
      event_id: event.id,
      event_type: eventType,
      position: event.position,
      status: 'pending',
      attempts: [],
      round_attempts: 0,
      next_attempt_at: null,
      created_at: new Date().toISOString(),
      finished_at: null,
      payload,
    });

    // The ticket as of this event, built only when a destination needs it: most events of a
    // workspace without webhooks or Slack need none.
    let ticketSnapshot: Promise<TicketView | null> | null = null;
    const ticket = () => (ticketSnapshot ??= ticketId ? this.snapshots.at(event, ticketId) : Promise.resolve(null));
    const customerId = (event.data as { customer_id?: string }).customer_id ?? null;
    const subject = ticketId ?? customerId ?? event.streamId;
    // A customer event's customer, erased if the erasure is known by now (a backlog).
    let customerPayload: Promise<Record<string, unknown>> | null = null;
    const customer = () => (customerPayload ??= this.snapshots.customerPayload(event));

    // Webhook endpoints of the workspace, as they were when the event was written.
    const endpoints = await this.folds.fold(webhookEndpointsStreamId(workspaceId), webhookEndpointsDecider, event.position);
    for (const endpoint of type ? Object.values(endpoints.endpoints) : []) {
      if (!endpoint.enabled || !type || !subscribes(endpoint, type)) continue;
      if (message?.internal && type === 'ticket.message.created' && !endpoint.include_internal) continue;
      const snapshot = isTicket ? await ticket() : null;
      const data: Record<string, unknown> = isTicket ? { ticket: snapshot } : { customer: await customer() };
      if (type === 'ticket.message.created' && message) data.message = message;
      const body = JSON.stringify({ id: event.id, type, created_at: event.metadata.occurred_at, workspace_id: workspaceId, data });
      // Whose personal data the body carries: the worker erases it if the customer is erased by the time it is sent.
      const about = isTicket ? (snapshot?.customer_id ?? null) : customerId;
      records.push(base('webhook', endpoint.id, `wh-${endpoint.id}`, `wh-${endpoint.id}-${subject}`, type, { body, customer_id: about }));
    }

    // A new ticket (announced with its first message, if any), a message, or a contact's edit.
    const root = announcesTicket(event);
    if (ticketId && (message || root || editedId)) {
      const origin = await this.snapshots.originOf(event);
      const inbox = origin.inboxId ? await this.folds.fold(inboxStreamIdOf(origin.inboxId), inboxDestinationFold, event.position) : null;

      // Inbox callback: every public message on the inbox's tickets, the first included, and
      // a contact's edits of them (API.md sections 7 and 8).
      if (inbox?.exists && inbox.callback_url && ((message && !message.internal) || editedId)) {
        const snapshot = await ticket();
        const shown = snapshot && (await this.callbackMessageOf(event, message, editedId));
        if (snapshot && shown) {
          const callbackType = editedId ? 'message.updated' : 'message.created';
          const body = JSON.stringify({
            id: event.id,
            type: callbackType,
            created_at: event.metadata.occurred_at,
            workspace_id: workspaceId,
            data: {
              message: callbackMessage(shown.message),
              ticket: snapshot,
              inbox: { id: inbox.id, name: inbox.name },
              sender: senderOf(shown, snapshot),
              conversation: { id: snapshot.id, inbox_id: snapshot.inbox_id, status: snapshot.status, channel: 'api' },
              source_id: origin.sourceId,
            },
          });
          records.push(
            base('callback', inbox.id as string, `cb-${inbox.id}`, `cb-${inbox.id}-${ticketId}`, callbackType, {
              body,
              url: inbox.callback_url,
              customer_id: snapshot.customer_id,
            }),
          );
        }
      }
    }

    if (ticketId && (message || root)) {
      const { inboxId } = await this.snapshots.originOf(event);
      const inbox = inboxId ? await this.folds.fold(inboxStreamIdOf(inboxId), inboxDestinationFold, event.position) : null;
      // Slack: a root post per ticket, then one threaded reply per later message.
      const slack = await this.folds.fold(slackIntegrationStreamId(workspaceId), slackIntegrationDecider, event.position);
      const channel = slack.configured ? inbox?.slack_channel_id || slack.default_channel_id : null;
      const snapshot = channel && root ? await ticket() : null;
      if (channel && (root ? snapshot : message)) {
        const text = snapshot ? rootText(snapshot, message) : replyText(message as MessagePayload);
        // The root names the customer: the worker posts `erased_text` instead if the customer is erased by then.
        const erasable = snapshot && !('erased' in snapshot.customer && snapshot.customer.erased);
        records.push(
          base('slack', channel, `slack-${workspaceId}`, `slack-${ticketId}`, root ? 'slack.thread.created' : 'slack.thread.reply', {
            channel,
            text,
            root,
            ticket_id: ticketId,
            ...(erasable && {
              customer_id: snapshot.customer_id,
              erased_text: rootText({ ...snapshot, customer: erasedCustomer(snapshot.customer_id) }, message),
            }),
          }),
        );
      }
    }

    return records;
  }

  /**
   * The message a callback is about, with what names its sender: the message the event adds,
   * or, for an edit, the edited message as the ticket has it after the edit.
   */
  private async callbackMessageOf(
    event: RecordedEvent,
    message: MessagePayload | null,
    editedId: string | null,
  ): Promise<{ message: MessagePayload; author_type: AuthorType; author_id: string | null; sender_name: string | null } | null> {
    if (message) return { message, author_type: message.author_type, author_id: message.author_id, sender_name: senderNameOf(event) };
    const doc = editedId ? await this.snapshots.messageAt(event, editedId) : null;
    if (!doc || doc.internal) return null;
    const edited: MessagePayload = {
      id: doc.id,
      author_type: doc.author_type,
      author_id: doc.author_id,
      body: doc.body,
      internal: doc.internal,
      external_id: doc.external_id,
      created_at: doc.created_at,
    };
    return {
      message: edited,
      author_type: doc.author_type,
      author_id: doc.author_id,
      sender_name: (doc as { sender_name?: string | null }).sender_name ?? null,
    };
  }
}

/**
 * Proposes a new job for each record: the first deliveries of a destination's tickets in this
 * batch (its heads) are shared out among jobs (see JOB_HEADS); a later delivery of a ticket
 * (most likely behind the first) is proposed its first one's job. The delivery log gives the
 * proposed job only what is the head of its ordering set and has no job yet.
 */
export function proposeJobs(records: DeliveryRecord[]): Array<{ record: DeliveryRecord; owner: string }> {
  const firstOfTicket = new Map<string, DeliveryRecord>();
  for (const record of records) if (record.ordering_key && !firstOfTicket.has(record.ordering_key)) firstOfTicket.set(record.ordering_key, record);
  const isHead = (record: DeliveryRecord) => !record.ordering_key || firstOfTicket.get(record.ordering_key) === record;
  const heads = new Map<string, number>();
  for (const record of records) if (isHead(record)) heads.set(record.destination_key, (heads.get(record.destination_key) ?? 0) + 1);
  const filling = new Map<string, { owner: string; heads: number }>();
  const byTicket = new Map<string, string>();
  return records.map((record) => {
    if (!isHead(record)) return { record, owner: byTicket.get(record.ordering_key as string) as string };
    const perJob = Math.min(MAX_JOB_HEADS[record.kind], Math.max(JOB_HEADS[record.kind], Math.floor((heads.get(record.destination_key) as number) / MIN_JOBS)));
    let job = filling.get(record.destination_key);
    if (!job || job.heads >= perJob) filling.set(record.destination_key, (job = { owner: newDeliveryJobId(), heads: 0 }));
    job.heads++;
    if (record.ordering_key) byTicket.set(record.ordering_key, job.owner);
    return { record, owner: job.owner };
  });
}

function callbackMessage(message: MessagePayload) {
  return {
    id: message.id,
    content: message.body,
    message_type: message.author_type === 'customer' ? 'incoming' : message.author_type === 'agent' ? 'outgoing' : 'activity',
    author_type: message.author_type,
    external_id: message.external_id,
    created_at: message.created_at,
  };
}

const EXCERPT_CHARS = 500;

/** A channel ticket may start without a message: its root post has no excerpt then. */
function rootText(ticket: TicketView, first: MessagePayload | null): string {
  const customer = ticket.customer as { name?: string | null; email?: string | null };
  const who = [customer.name, customer.email ? `<${customer.email}>` : null].filter(Boolean).join(' ') || 'unknown';
  const body = first?.body ?? '';
  const excerpt = Array.from(body).length > EXCERPT_CHARS ? `${Array.from(body).slice(0, EXCERPT_CHARS).join('')}…` : body;
  const head = `*#${ticket.ticket_number} ${slackEscape(ticket.subject)}*\nCustomer: ${slackEscape(who)}\nPriority: ${ticket.priority}`;
  if (!first) return cutForSlack(head);
  return cutForSlack(
    `${head}\n${slackEscape(excerpt)
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n')}`,
  );
}

function replyText(message: MessagePayload): string {
  if (message.internal) return cutForSlack(`:lock: Internal note\n${slackEscape(message.body)}`);
  const who = message.author_type === 'customer' ? 'Customer' : message.author_type === 'agent' ? 'Agent' : 'System';
  return cutForSlack(`*${who}:* ${slackEscape(message.body)}`);
}
