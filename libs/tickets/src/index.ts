export * from './domain/ticket.events';
export * from './domain/ticket.decider';
export * from './domain/ticket-number.decider';
export * from './domain/ticket-merge.decider';
export * from './projections/ticket.read-model';
export * from './projections/tickets.projection';
export * from './application/ticket.view';
export * from './application/create-ticket/create-ticket.command';
export * from './application/create-ticket/create-ticket.handler';
export * from './application/append-message/append-message.command';
export * from './application/append-message/append-message.handler';
export * from './application/list-tickets/list-tickets.query';
export * from './application/list-tickets/list-tickets.handler';
export * from './application/get-ticket/get-ticket.query';
export * from './application/get-ticket/get-ticket.handler';
export * from './application/get-ticket-events/get-ticket-events.query';
export * from './application/get-ticket-events/get-ticket-events.handler';
export * from './application/get-ticket-events/event.view';
export * from './application/update-ticket/ticket-writes.commands';
export * from './application/update-ticket/ticket-writes.handlers';
export * from './application/conversations/conversations.service';
export * from './application/unassign-deleted-user/unassign-deleted-user.command';
export * from './application/unassign-deleted-user/unassign-deleted-user.handler';

import { AppendMessageHandler } from './application/append-message/append-message.handler';
import { CreateTicketHandler } from './application/create-ticket/create-ticket.handler';
import { GetTicketEventsHandler } from './application/get-ticket-events/get-ticket-events.handler';
import { GetTicketHandler } from './application/get-ticket/get-ticket.handler';
import { ListTicketsHandler } from './application/list-tickets/list-tickets.handler';
import { UnassignDeletedUserHandler } from './application/unassign-deleted-user/unassign-deleted-user.handler';
import { DeleteTicketHandler, MergeTicketHandler, UpdateTicketHandler } from './application/update-ticket/ticket-writes.handlers';

export const TICKET_HANDLERS = [
  CreateTicketHandler,
  AppendMessageHandler,
  ListTicketsHandler,
  GetTicketHandler,
  GetTicketEventsHandler,
  UpdateTicketHandler,
  DeleteTicketHandler,
  MergeTicketHandler,
  UnassignDeletedUserHandler,
];
