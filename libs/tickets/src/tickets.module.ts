import { Module } from '@nestjs/common';
import { TicketAfterWriteReader } from './application/ticket-after-write';
import { CustomersModule } from '@ledgerdesk/customers';
import { TagsModule } from '@ledgerdesk/tags';
import { AppendMessageHandler } from './application/append-message/append-message.handler';
import { CreateConversationHandler } from './application/create-conversation/create-conversation.handler';
import { CreateTicketHandler } from './application/create-ticket/create-ticket.handler';
import { GetConversationHandler } from './application/get-conversation/get-conversation.handler';
import { GetTicketEventsHandler } from './application/get-ticket-events/get-ticket-events.handler';
import { GetTicketHandler } from './application/get-ticket/get-ticket.handler';
import { ListConversationsHandler } from './application/list-conversations/list-conversations.handler';
import { ListTicketsHandler } from './application/list-tickets/list-tickets.handler';
import { DeleteTicketHandler } from './application/delete-ticket/delete-ticket.handler';
import { MergeTicketHandler } from './application/merge-ticket/merge-ticket.handler';
import { UpdateTicketHandler } from './application/update-ticket/update-ticket.handler';
import { EditMessageHandler } from './application/edit-message/edit-message.handler';
import { ListTicketMessagesHandler } from './application/list-ticket-messages/list-ticket-messages.handler';

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
    TicketAfterWriteReader,
    CreateConversationHandler,
    GetConversationHandler,
    ListConversationsHandler,
    EditMessageHandler,
    ListTicketMessagesHandler,
  ],
})
export class TicketsModule {}
