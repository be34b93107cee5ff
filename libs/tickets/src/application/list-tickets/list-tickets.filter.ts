import { substringSearch, type Filter } from '@ledgerdesk/read-store';
import { TICKET_SEARCH_FIELDS } from '../../projections/ticket.read-model';
import type { ListTicketsCriteria, TicketOrderBy } from './list-tickets.query';

/** order_by names of the API mapped to read-model fields. */
export const ORDER_FIELDS: Record<TicketOrderBy, string> = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  priority: 'priority_rank',
  ticket_number: 'ticket_number',
};

/** GET /tickets filters as one Mongo filter document (MongoDB and mingo run the same one). */
export function ticketsFilter(workspaceId: string, c: ListTicketsCriteria): Filter {
  const and: Filter[] = [{ deleted: false }];
  if (!c.includeMerged) and.push({ merged_into_id: null });
  if (c.status?.length) and.push({ status: { $in: c.status } });
  if (c.priority?.length) and.push({ priority: { $in: c.priority } });
  if (c.assigneeId) and.push({ assignee_id: c.assigneeId });
  if (c.unassigned) and.push({ assignee_id: null });
  if (c.customerId) and.push({ customer_id: c.customerId });
  if (c.inboxId) and.push({ inbox_id: c.inboxId });
  if (c.sourceId) and.push({ source_id: c.sourceId });
  if (c.tags?.length) and.push({ tags: { $in: c.tags } });
  if (c.search) and.push(substringSearch(c.search, TICKET_SEARCH_FIELDS));
  if (c.createdAfter) and.push({ created_at: { $gt: c.createdAfter } });
  if (c.createdBefore) and.push({ created_at: { $lt: c.createdBefore } });
  if (c.updatedSince) and.push({ updated_at: { $gte: c.updatedSince } });
  // workspace_id at the top level: the in-memory store narrows by it through its indexes.
  return { workspace_id: workspaceId, $and: and };
}
