import type { Filter, ProjectedDocument, ReadCollection } from '../read-store.port';
import { decodeCursor, encodeCursor, keysetFilter, listScope, type KeysetSort } from './keyset-cursor';
import { DomainError } from '@ledgerdesk/shared';

export interface Page<T> {
  data: T[];
  meta: { limit: number; total: number; next_cursor: string | null };
}

export interface KeysetPageRequest {
  /** The list's name: with the filter, what its cursors are valid for (listScope). */
  list: string;
  /** Read-model field to order by (ties broken by `_id` in the same direction). */
  field: string;
  /** Name of the ordering as the client asked for it, remembered in the cursor. */
  orderName?: string;
  direction: 1 | -1;
  /** Some rows hold null or nothing in `field` (they come first ascending, last descending). */
  mayBeNull?: boolean;
  limit: number;
  cursor?: string;
}

/**
 * One page of a list endpoint: keyset pagination on (field, _id), `meta.total` over the whole
 * filter. The cursor remembers its ordering, so reusing it under another order is a 400.
 * Put `workspace_id` at the top level of `filter` so the in-memory store can use its index.
 */
export async function keysetPage<T extends ProjectedDocument, V>(
  collection: ReadCollection<T>,
  filter: Filter,
  request: KeysetPageRequest,
  view: (doc: T) => V,
): Promise<Page<V>> {
  const { field, direction, limit } = request;
  const orderName = request.orderName ?? field;
  const sort: KeysetSort = [
    [field, direction, request.mayBeNull],
    ['_id', direction],
  ];
  // Worked out only for a cursor read or written (a JSON of the filter and a digest).
  const scope = () => listScope(request.list, filter);
  let pageFilter = filter;
  if (request.cursor) {
    const [name, dir, value, id] = decodeCursor(request.cursor, scope(), 4);
    if (name !== orderName || dir !== direction) {
      throw new DomainError('VALIDATION', 'cursor was issued for a different order_by/order_dir', {
        cursor: ['does not match order_by/order_dir'],
      });
    }
    pageFilter = { ...filter, $and: [...((filter.$and as Filter[] | undefined) ?? []), keysetFilter(sort, [value, id])] };
  }
  const [rows, total] = await Promise.all([
    collection.find(pageFilter, { sort: { [field]: direction, _id: direction }, limit: limit + 1 }),
    collection.count(filter),
  ]);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const nextCursor =
    rows.length > limit && last ? encodeCursor(scope(), [orderName, direction, (last as Record<string, unknown>)[field] ?? null, last._id]) : null;
  return { data: page.map(view), meta: { limit, total, next_cursor: nextCursor } };
}

/** A literal substring as a Mongo `$regex` pattern (search filters). */
export const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
