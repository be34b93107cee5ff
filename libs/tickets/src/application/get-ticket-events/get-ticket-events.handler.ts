import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { verifyChain, type ChainVerdict } from '@ledgerdesk/event-sourcing';
import { EVENT_STORE, type EventStore } from '@ledgerdesk/event-store';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { redactErasedCustomers } from '@ledgerdesk/customers';
import { notFound } from '@ledgerdesk/shared';
import { ticketStreamId } from '../../domain/ticket.events';
import { toEventView, type EventView } from './event.view';
import { GetTicketEventsQuery } from './get-ticket-events.query';

export interface TicketHistory {
  events: EventView[];
  verification: ChainVerdict | null;
}

/** The ticket's full history from the event store, deleted tickets included (audit). */
@QueryHandler(GetTicketEventsQuery)
export class GetTicketEventsHandler implements IQueryHandler<GetTicketEventsQuery, TicketHistory> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ workspaceId, ticketId, verify }: GetTicketEventsQuery): Promise<TicketHistory> {
    const events = await this.store.readStream(ticketStreamId(ticketId));
    if (events.length === 0 || events[0].metadata.workspace_id !== workspaceId) throw notFound('Ticket');
    // An erased customer's personal data is not served again, not even from the history.
    const views = await redactErasedCustomers(this.readStore, workspaceId, events.map(toEventView));
    return { events: views, verification: verify ? verifyChain(events) : null };
  }
}
