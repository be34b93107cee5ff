import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { MESSAGES_COLLECTION, TICKETS_COLLECTION, type MessageDocument, type TicketDocument } from '../../projections/ticket.read-model';
import { storedTicketView, ticketViewJson, toMessageView, type MessageView, type TicketView } from '../ticket.view';
import { GetTicketQuery } from './get-ticket.query';

export interface TicketWithMessages {
  /** The stored (frozen) view: the same object, and cached JSON, for the same document. */
  ticket: TicketView;
  /** Public messages, oldest first. */
  messages: MessageView[];
  /** Stream revision, for ETag / If-Match. */
  version: number;
}

/**
 * JSON.stringify({ data: { ...ticket, messages } }), byte for byte, reusing the ticket's cached
 * JSON (ticketViewJson): the ticket is most of the body, and stringifying it was a visible
 * share of a GET.
 */
export function ticketWithMessagesJson({ ticket, messages }: TicketWithMessages): string {
  const json = ticketViewJson(ticket);
  const fields = json === '{}' ? '' : `${json.slice(1, -1)},`;
  return `{"data":{${fields}"messages":${JSON.stringify(messages)}}}`;
}

@QueryHandler(GetTicketQuery)
export class GetTicketHandler implements IQueryHandler<GetTicketQuery, TicketWithMessages> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, ticketId }: GetTicketQuery): Promise<TicketWithMessages> {
    const doc = await this.readStore.collection<TicketDocument>(TICKETS_COLLECTION).findOne({ _id: ticketId, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Ticket');
    // Public messages only, oldest first; internal notes never leave through this endpoint.
    const messages = await this.readStore
      .collection<MessageDocument>(MESSAGES_COLLECTION)
      .find({ ticket_id: ticketId, internal: false }, { sort: { revision: 1, _id: 1 } });
    return { ticket: storedTicketView(doc), messages: messages.map(toMessageView), version: doc.version };
  }
}
