import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { CUSTOMERS_COLLECTION, type CustomerDocument } from '../../projections/customers.projection';
import { toCustomerView, type CustomerView } from '../customer.view';
import { GetCustomerQuery } from './get-customer.query';

@QueryHandler(GetCustomerQuery)
export class GetCustomerHandler implements IQueryHandler<GetCustomerQuery, CustomerView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, customerId }: GetCustomerQuery): Promise<CustomerView> {
    const doc = await this.readStore.collection<CustomerDocument>(CUSTOMERS_COLLECTION).findOne({ _id: customerId, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Customer');
    return toCustomerView(doc);
  }
}
