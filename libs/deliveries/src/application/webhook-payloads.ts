import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import type { MessageDocument, TicketView } from '@ledgerdesk/tickets';
import { customerStreamId } from '@ledgerdesk/customers';
import { messageOf, ticketIdOfStream, webhookTypeOf } from './event-mapping';
import { StreamFolds } from './stream-folds';
import { TicketSnapshots, type TicketOrigin } from './ticket-snapshots';

const CUSTOMER_STREAM_PREFIX = customerStreamId('');

/** What a webhook endpoint would be sent for an event (API.md section 7): its type and `data`. */
export interface WebhookPayload {
  type: string;
  data: Record<string, unknown>;
}

/**
 * The webhook's view of log events for other readers of the log (real time): the same ticket
 * snapshots "as of" the event and the same customer payloads as deliveries. Feed it the log in
 * order (`observe` every event), as the dispatcher does: snapshots advance one event at a time.
 */
export class WebhookPayloads {
  private readonly customers: StreamFolds;
  private readonly snapshots: TicketSnapshots;

  constructor(store: EventStore) {
    this.customers = new StreamFolds(store);
    this.snapshots = new TicketSnapshots(store, this.customers);
  }

  /** Keeps the customers' cached streams and new tickets current; call for every event read, in log order. */
  observe(event: RecordedEvent): void {
    this.snapshots.observe(event);
    // Only customers' streams are cached here: the others need no cache lookup.
    if (event.streamId.startsWith(CUSTOMER_STREAM_PREFIX)) this.customers.observe(event);
  }

  /** The ticket as of the event (null for events outside a ticket stream). */
  ticketAt(event: RecordedEvent): Promise<TicketView | null> {
    const ticketId = ticketIdOfStream(event.streamId);
    return ticketId ? this.snapshots.at(event, ticketId) : Promise.resolve(null);
  }

  /** A message as the ticket has it right after the event (call after `ticketAt` of the same event). */
  messageAt(event: RecordedEvent, messageId: string): Promise<MessageDocument | null> {
    return this.snapshots.messageAt(event, messageId);
  }

  originOf(event: RecordedEvent): Promise<TicketOrigin> {
    return this.snapshots.originOf(event);
  }

  /** The webhook type and data of an event, `ticket` as of it; null when no webhook type names it. */
  async payloadOf(event: RecordedEvent, ticket?: TicketView | null): Promise<WebhookPayload | null> {
    const type = webhookTypeOf(event);
    if (!type) return null;
    if (ticketIdOfStream(event.streamId)) {
      const data: Record<string, unknown> = { ticket: ticket === undefined ? await this.ticketAt(event) : ticket };
      const message = messageOf(event);
      if (type === 'ticket.message.created' && message) data.message = message;
      return { type, data };
    }
    return { type, data: { customer: await this.snapshots.customerPayload(event) } };
  }
}
