import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { TAGS_COLLECTION, type TagDocument } from '@ledgerdesk/tags';
import { TICKETS_COLLECTION, type TicketDocument } from '../../projections/ticket.read-model';
import { storedTicketView, ticketViewJson, type TicketView } from '../ticket.view';
import { ORDER_FIELDS, ticketsFilter } from './list-tickets.filter';
import { ListTicketsQuery } from './list-tickets.query';

export type { Page };

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
    const tags = criteria.tags?.length ? await this.tagsNamed(workspaceId, criteria.tags) : criteria.tags;
    // The cursor remembers its ordering: reusing it under another order_by is a client error.
    return keysetPage(
      this.readStore.collection<TicketDocument>(TICKETS_COLLECTION),
      ticketsFilter(workspaceId, { ...criteria, tags }),
      {
        list: 'tickets',
        field: ORDER_FIELDS[criteria.orderBy],
        orderName: criteria.orderBy,
        direction: criteria.orderDir === 'asc' ? 1 : -1,
        limit: criteria.limit,
        cursor: criteria.cursor,
      },
      storedTicketView,
    );
  }

  /**
   * Tag names are one tag whatever their case (POST /tags), and tickets hold each tag's own
   * spelling: `tags=BILLING` finds the tickets tagged `billing`. Names no tag has stay as given.
   */
  private async tagsNamed(workspaceId: string, names: string[]): Promise<string[]> {
    const lower = names.map((name) => name.toLowerCase());
    const found = await this.readStore.collection<TagDocument>(TAGS_COLLECTION).find({ workspace_id: workspaceId, name_lower: { $in: lower }, deleted: false });
    // Sorted: the filter, and so the scope of the page's cursor, is the same on every page.
    return [...new Set([...names, ...found.map((tag) => tag.name)])].sort();
  }
}
