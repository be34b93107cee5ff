import { Module } from '@nestjs/common';
import { CustomersModule } from '@ledgerdesk/customers';
import { TagsModule } from '@ledgerdesk/tags';
import { ConversationsService } from './application/conversations/conversations.service';
import { AppendMessageHandler } from './application/append-message/append-message.handler';
import { CreateTicketHandler } from './application/create-ticket/create-ticket.handler';
import { GetTicketEventsHandler } from './application/get-ticket-events/get-ticket-events.handler';
import { GetTicketHandler } from './application/get-ticket/get-ticket.handler';
import { ListTicketsHandler } from './application/list-tickets/list-tickets.handler';
import { UnassignDeletedUserHandler } from './application/unassign-deleted-user/unassign-deleted-user.handler';
import { DeleteTicketHandler, MergeTicketHandler, UpdateTicketHandler } from './application/update-ticket/ticket-writes.handlers';

/** The tickets context: tickets, their messages and conversations, merges. */
@Module({
  imports: [CustomersModule, TagsModule],
  providers: [
    CreateTicketHandler,
    AppendMessageHandler,
    ListTicketsHandler,
    GetTicketHandler,
    GetTicketEventsHandler,
    UpdateTicketHandler,
    DeleteTicketHandler,
    MergeTicketHandler,
    UnassignDeletedUserHandler,
    ConversationsService,
  ],
  exports: [ConversationsService],
})
export class TicketsModule {}
