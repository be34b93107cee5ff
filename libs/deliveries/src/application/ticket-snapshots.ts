import { LRUCache } from 'lru-cache';
import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import type { ProjectionTarget } from '@ledgerdesk/event-sourcing';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import { TICKETS_COLLECTION, ticketsProjection, toTicketView, type TicketDocument, type TicketView } from '@ledgerdesk/tickets';

interface Entry {
  store: MemoryReadStore;
  target: ProjectionTarget;
  revision: number;
}

const MAX_CACHED = 2_000;
const MAX_INBOXES = 20_000;

/**
 * The ticket object "as of" an event, for payloads. It folds the ticket's own stream through
 * the tickets projection into a private in-memory store, so it does not depend on the shared
 * read model (which may be behind, or, in a worker process, absent) and it follows whatever
 * events the tickets projection learns. The dispatcher reads the log in order, so each ticket
 * is usually advanced by one event at a time.
 */
export class TicketSnapshots {
  private readonly cache = new LRUCache<string, Entry>({ max: MAX_CACHED });
  /** Ticket stream -> the inbox it came in through ('' for none; set once, by TicketCreated). */
  private readonly inboxes = new LRUCache<string, string>({ max: MAX_INBOXES });

  constructor(private readonly store: EventStore) {}

  /** The inbox of the event's ticket, without building the ticket: the stream's first event says. */
  async inboxIdOf(event: RecordedEvent): Promise<string | null> {
    let inboxId = this.inboxes.get(event.streamId);
    if (inboxId === undefined) {
      const created = event.revision === 0 ? event : (await this.store.readStream(event.streamId, { maxCount: 1 }))[0];
      inboxId = (created?.data as { inbox_id?: string | null } | undefined)?.inbox_id ?? '';
      this.inboxes.set(event.streamId, inboxId);
    }
    return inboxId || null;
  }

  async at(event: RecordedEvent, ticketId: string): Promise<TicketView | null> {
    let entry = this.cache.get(event.streamId);
    if (!entry || entry.revision >= event.revision || entry.revision < event.revision - 1) entry = await this.rebuild(event.streamId, event.revision);
    if (ticketsProjection.eventTypes.has(event.type)) await ticketsProjection.apply(event, entry.target);
    entry.revision = event.revision;
    this.cache.set(event.streamId, entry);
    const doc = await entry.store.collection<TicketDocument>(TICKETS_COLLECTION).findOne({ _id: ticketId });
    return doc ? toTicketView(doc) : null;
  }

  /** The ticket just before the event at `revision` (a new ticket's first event needs no read). */
  private async rebuild(streamId: string, revision: number): Promise<Entry> {
    const store = new MemoryReadStore();
    const target: ProjectionTarget = { collection: (name) => store.collection(name) };
    const events = revision === 0 ? [] : await this.store.readStream(streamId, { maxCount: revision });
    for (const e of events) {
      if (ticketsProjection.eventTypes.has(e.type)) await ticketsProjection.apply(e, target);
    }
    return { store, target, revision: revision - 1 };
  }
}
