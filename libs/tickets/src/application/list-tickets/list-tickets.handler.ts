import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  READ_STORE,
  decodeCursor,
  encodeCursor,
  keysetFilter,
  type KeysetSort,
  type ReadStore,
} from '@ledgerdesk/read-store';
import { DomainError } from '@ledgerdesk/shared';
import { TICKETS_COLLECTION, type TicketDocument } from '../../projections/ticket.read-model';
import { storedTicketView, ticketViewJson, type TicketView } from '../ticket.view';
import { ORDER_FIELDS, ticketsFilter } from './list-tickets.filter';
import { ListTicketsQuery } from './list-tickets.query';

export interface Page<T> {
  data: T[];
  meta: { limit: number; total: number; next_cursor: string | null };
}

/**
 * JSON.stringify(page), byte for byte, reusing each ticket's cached JSON (ticketViewJson): a
 * page of 20 tickets is ~16 KB, and stringifying it was the largest single cost of the request.
 */
export function ticketPageJson(page: Page<TicketView>): string {
  let data = '';
  for (let i = 0; i < page.data.length; i++) data += (i === 0 ? '' : ',') + ticketViewJson(page.data[i]);
  return `{"data":[${data}],"meta":${JSON.stringify(page.meta)}}`;
}

@QueryHandler(ListTicketsQuery)
export class ListTicketsHandler implements IQueryHandler<ListTicketsQuery, Page<TicketView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, criteria }: ListTicketsQuery): Promise<Page<TicketView>> {
    const tickets = this.readStore.collection<TicketDocument>(TICKETS_COLLECTION);
    const field = ORDER_FIELDS[criteria.orderBy];
    const direction = criteria.orderDir === 'asc' ? 1 : -1;
    const sort: KeysetSort = [
      [field, direction],
      ['_id', direction],
    ];
    const filter = ticketsFilter(workspaceId, criteria);

    let pageFilter = filter;
    if (criteria.cursor) {
      // The cursor remembers its ordering: reusing it under another order_by is a client error.
      const [orderBy, dir, value, id] = decodeCursor(criteria.cursor, 4);
      if (orderBy !== criteria.orderBy || dir !== criteria.orderDir) {
        throw new DomainError('VALIDATION', 'cursor was issued for a different order_by/order_dir', {
          cursor: ['does not match order_by/order_dir'],
        });
      }
      pageFilter = { $and: [filter, keysetFilter(sort, [value, id])] };
    }

    const [rows, total] = await Promise.all([
      tickets.find(pageFilter, { sort: Object.fromEntries(sort), limit: criteria.limit + 1 }),
      tickets.count(filter),
    ]);
    const page = rows.slice(0, criteria.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > criteria.limit && last
        ? encodeCursor([criteria.orderBy, criteria.orderDir, last[field as keyof TicketDocument] as unknown, last._id])
        : null;
    return { data: page.map(storedTicketView), meta: { limit: criteria.limit, total, next_cursor: nextCursor } };
  }
}
