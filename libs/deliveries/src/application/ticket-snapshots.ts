import { LRUCache } from 'lru-cache';
import { customerStreamId, erasedCustomer } from '@ledgerdesk/customers';
import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import type { ProjectionTarget } from '@ledgerdesk/event-sourcing';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import {
  evolveTicketDocument,
  MESSAGES_COLLECTION,
  TICKET_EVENT_TYPES,
  TICKETS_COLLECTION,
  ticketsProjection,
  type RecordedTicketEvent,
  toTicketView,
  type MessageDocument,
  type TicketDocument,
  type TicketView,
} from '@ledgerdesk/tickets';
import { withoutPersonalData } from './customer-erasure';
import { customerOf } from './event-mapping';
import type { StreamFolds } from './stream-folds';

interface Entry {
  /** The tickets read model's document, folded by its own evolve (null before TicketCreated). */
  ticket: TicketDocument | null;
  revision: number;
  /** Log position of the last event applied (the ticket's, or its customer's). */
  position: number;
  /** The ticket's customer's stream, once TicketCreated is applied (one string, looked up per event). */
  customerStream: string | null;
}

export interface TicketOrigin {
  inboxId: string | null;
  sourceId: string | null;
}

const MAX_CACHED = 2_000;
/** New tickets kept for their next event: the first message comes right after, in the same append. */
const MAX_NEW_TICKETS = 1_000;
const MAX_INBOXES = 20_000;
/** The customer's events the tickets projection denormalises onto tickets. */
const CUSTOMER_CHANGES: ReadonlySet<string> = new Set(['CustomerUpdated', 'CustomerDeleted']);

/**
 * The ticket object "as of" an event, for payloads. It folds the ticket's own stream through
 * the tickets projection into a private in-memory store, so it does not depend on the shared
 * read model (which may be behind, or, in a worker process, absent) and it follows whatever
 * events the tickets projection learns. The dispatcher reads the log in order, so each ticket
 * is usually advanced by one event at a time.
 *
 * The customer's changes and erasure reach tickets from the customer's stream (read through the
 * dispatcher's StreamFolds), applied in log order between the ticket's events, as the read model
 * applies them. An erasure anywhere in that stream (even after the event) wins: erased personal
 * data is never put in a delivery planned after the erasure.
 */
export class TicketSnapshots {
  private readonly cache = new LRUCache<string, Entry>({ max: MAX_CACHED });
  /** Ticket stream -> what TicketCreated set for good: its inbox and its contact session. */
  private readonly origins = new LRUCache<string, TicketOrigin>({ max: MAX_INBOXES });
  /** Ticket stream -> its TicketCreated, seen by `observe`: its next event needs no read of the stream. */
  private readonly created = new LRUCache<string, RecordedEvent>({ max: MAX_NEW_TICKETS });

  constructor(
    private readonly store: EventStore,
    private readonly customers: StreamFolds,
  ) {}

  /**
   * Call for every event read, in log order: a ticket's creation is kept, so neither its origin
   * nor its snapshot at its next event (the first message, which announces it) reads the stream.
   */
  observe(event: RecordedEvent): void {
    if (event.revision === 0 && event.type === 'TicketCreated') this.created.set(event.streamId, event);
  }

  /** The ticket's inbox and contact session (API channel), from the stream's first event. */
  async originOf(event: RecordedEvent): Promise<TicketOrigin> {
    let origin = this.origins.get(event.streamId);
    if (origin === undefined) {
      const created = event.revision === 0 ? event : (this.created.get(event.streamId) ?? (await this.store.readStream(event.streamId, { maxCount: 1 }))[0]);
      origin = originOfCreated(created);
      this.origins.set(event.streamId, origin);
    }
    return origin;
  }

  /**
   * A message of the ticket as of the event, as the messages read model has it. Only a
   * contact's edit asks (rare), so snapshots keep no messages: the stream is read and folded.
   */
  async messageAt(event: RecordedEvent, messageId: string): Promise<MessageDocument | null> {
    const store = new MemoryReadStore();
    const target: ProjectionTarget = { collection: (name) => store.collection(name) };
    for (const e of await this.store.readStream(event.streamId, { maxCount: event.revision + 1 })) await ticketsProjection.apply(e, target);
    return store.collection<MessageDocument>(MESSAGES_COLLECTION).findOne({ _id: messageId });
  }

  async at(event: RecordedEvent, ticketId: string): Promise<TicketView | null> {
    let entry = this.cache.get(event.streamId);
    if (!entry || entry.revision >= event.revision || entry.revision < event.revision - 1) {
      entry = await this.rebuild(event.streamId, event.revision);
      this.cache.set(event.streamId, entry);
    }
    const customerEvents = await this.customerEventsOf(entry);
    await this.applyTicketEvent(entry, event, customerEvents);
    const doc = entry.ticket;
    if (!doc || doc.id !== ticketId) return null;
    const view = toTicketView(doc);
    // The same events (the ticket's customer is set for good by TicketCreated, applied just now
    // when this is it): one lookup of them per event.
    if (erasedIn(customerEvents ?? (await this.customerEventsOf(entry)) ?? [])) view.customer = erasedCustomer(doc.customer_id);
    return view;
  }

  /** The ticket just before the event at `revision` (a new ticket's first event needs no read). */
  private async rebuild(streamId: string, revision: number): Promise<Entry> {
    const entry: Entry = { ticket: null, revision: -1, position: 0, customerStream: null };
    const created = revision === 1 ? this.created.get(streamId) : undefined;
    const events = revision === 0 ? [] : created ? [created] : await this.store.readStream(streamId, { maxCount: revision });
    for (const e of events) await this.applyTicketEvent(entry, e, await this.customerEventsOf(entry));
    return entry;
  }

  /** The events of the ticket's customer known so far (none before TicketCreated is applied). */
  private customerEventsOf(entry: Entry): Promise<readonly RecordedEvent[]> | null {
    return entry.customerStream ? this.customers.known(entry.customerStream) : null;
  }

  /** The customer's changes since the last event applied, then the ticket's event. */
  private async applyTicketEvent(entry: Entry, event: RecordedEvent, customerEvents: readonly RecordedEvent[] | null): Promise<void> {
    if (customerEvents) {
      for (const e of customerEvents) {
        if (e.position >= event.position) break;
        if (e.position <= entry.position || !CUSTOMER_CHANGES.has(e.type)) continue;
        if (entry.ticket) entry.ticket = await ticketAfterCustomerChange(entry.ticket, e);
        entry.position = e.position;
      }
    }
    // The tickets projection's own fold of a ticket's events, without a store around it.
    if (TICKET_EVENT_TYPES.has(event.type)) entry.ticket = evolveTicketDocument(entry.ticket, event as RecordedTicketEvent);
    if (event.type === 'TicketCreated') entry.customerStream = customerStreamId((event.data as { customer: { id: string } }).customer.id);
    entry.revision = event.revision;
    entry.position = event.position;
  }

  /** Was this customer erased (as far as the log read so far tells)? */
  async customerErased(customerId: string): Promise<boolean> {
    return erasedIn(await this.customers.known(customerStreamId(customerId)));
  }

  /**
   * A customer event's customer (the `customer` of a `customer.*` payload), erased when the
   * erasure is known by now (a backlog read after it); the deletion's own is erased already.
   */
  async customerPayload(event: RecordedEvent): Promise<Record<string, unknown>> {
    const customer = customerOf(event);
    if (event.type === 'CustomerDeleted' || !(await this.customerErased(customer.id as string))) return customer;
    return withoutPersonalData(customer);
  }
}

/** A customer's change as the tickets projection applies it to the customer's tickets (rare: through a store of one). */
async function ticketAfterCustomerChange(ticket: TicketDocument, change: RecordedEvent): Promise<TicketDocument | null> {
  const store = new MemoryReadStore();
  const tickets = store.collection<TicketDocument>(TICKETS_COLLECTION);
  await tickets.put(ticket);
  await ticketsProjection.apply(change, { collection: (name) => store.collection(name) });
  return tickets.findOne({ _id: ticket._id });
}

const originOfCreated = (created: RecordedEvent | undefined): TicketOrigin => {
  const data = created?.data as { inbox_id?: string | null; source_id?: string | null } | undefined;
  return { inboxId: data?.inbox_id ?? null, sourceId: data?.source_id ?? null };
};

const erasedIn = (customerEvents: readonly RecordedEvent[]): boolean => customerEvents.some((e) => e.type === 'CustomerDeleted');
