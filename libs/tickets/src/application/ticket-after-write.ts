import { EVENT_STORE, type EventStore } from '@ledgerdesk/event-store';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { Inject, Injectable } from '@nestjs/common';
import { ticketStreamId } from '../domain/ticket.events';
import { evolveTicketDocument, TICKETS_COLLECTION, type RecordedTicketEvent, type TicketDocument } from '../projections/ticket.read-model';
import { toTicketView, type TicketView } from './ticket.view';

export interface TicketAfterWrite {
  ticket: TicketView;
  /** Stream revision, for the ETag. */
  version: number;
  /** Log position of the last event written (null: nothing changed). */
  position: number | null;
}

/**
 * The ticket a write leaves behind, as GET will show it, without waiting for the projection:
 * the current read-model document with the events of the ticket's stream it has not applied
 * yet (the write's own among them) folded on, exactly as the projection folds them.
 */
@Injectable()
export class TicketAfterWriteReader {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async read(ticketId: string, position: number | null): Promise<TicketAfterWrite> {
    const current = await this.readStore.collection<TicketDocument>(TICKETS_COLLECTION).findOne({ _id: ticketId });
    const unapplied = await this.eventStore.readStream(ticketStreamId(ticketId), { fromRevision: (current?.version ?? -1) + 1 });
    // The ticket's own stream holds ticket events only.
    const doc = unapplied.reduce<TicketDocument | null>((d, e) => evolveTicketDocument(d, e as RecordedTicketEvent), current);
    if (!doc) throw new Error(`Ticket ${ticketId} has no history`);
    return { ticket: toTicketView(doc), version: doc.version, position };
  }
}
