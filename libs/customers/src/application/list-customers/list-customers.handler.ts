import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, keysetPage, substringSearch, type Filter, type Page, type ReadStore } from '@ledgerdesk/read-store';
import { normalizeEmail } from '../../domain/customer-identity';
import { CUSTOMERS_COLLECTION, type CustomerDocument } from '../../projections/customers.projection';
import { toCustomerView, type CustomerView } from '../customer.view';
import { ListCustomersQuery } from './list-customers.query';

/** GET /customers: erased (deleted) customers are never listed. */
@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery, Page<CustomerView>> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  execute({ workspaceId, criteria: c }: ListCustomersQuery): Promise<Page<CustomerView>> {
    const and: Filter[] = [{ deleted: false }];
    if (c.email) and.push({ email: normalizeEmail(c.email) });
    if (c.phone) and.push({ phone: c.phone });
    if (c.search) and.push(substringSearch(c.search, ['name', 'email']));
    return keysetPage(
      this.readStore.collection<CustomerDocument>(CUSTOMERS_COLLECTION),
      { workspace_id: workspaceId, $and: and },
      // A customer may have no email.
      {
        list: 'customers',
        field: c.orderBy,
        orderName: c.orderBy,
        direction: c.orderDir === 'asc' ? 1 : -1,
        mayBeNull: c.orderBy === 'email',
        limit: c.limit,
        cursor: c.cursor,
      },
      toCustomerView,
    );
  }
}
