import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { MESSAGES_COLLECTION, TICKETS_COLLECTION, type MessageDocument, type TicketDocument } from '../../projections/ticket.read-model';
import { toChannelMessage, type ChannelMessageView } from '../channel-message.view';
import { ListTicketMessagesQuery } from './list-ticket-messages.query';

@QueryHandler(ListTicketMessagesQuery)
export class ListTicketMessagesHandler implements IQueryHandler<ListTicketMessagesQuery, Page<ChannelMessageView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, ticketId, criteria }: ListTicketMessagesQuery): Promise<Page<ChannelMessageView>> {
    const ticket = await this.readStore.collection<TicketDocument>(TICKETS_COLLECTION).findOne({ _id: ticketId, workspace_id: workspaceId, deleted: false });
    if (!ticket) throw notFound('Ticket');
    // Public messages only (never an internal note), in the ticket's own order.
    return keysetPage(
      this.readStore.collection<MessageDocument>(MESSAGES_COLLECTION),
      { ticket_id: ticketId, internal: false },
      { list: 'ticket-messages', field: 'revision', orderName: 'created_at', direction: 1, limit: criteria.limit, cursor: criteria.cursor },
      (m) => toChannelMessage(m, ticket),
    );
  }
}
