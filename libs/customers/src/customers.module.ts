import { Module } from '@nestjs/common';
import { CreateCustomerHandler } from './application/create-customer/create-customer.handler';
import { DeleteCustomerHandler } from './application/delete-customer/delete-customer.handler';
import { EnsureCustomerService } from './application/ensure-customer/ensure-customer.service';
import { GetCustomerHandler } from './application/get-customer/get-customer.handler';
import { ListCustomersHandler } from './application/list-customers/list-customers.handler';
import { UpdateCustomerHandler } from './application/update-customer/update-customer.handler';

/** The customers context: its use cases, and the find-or-create that the contexts naming customers run. */
@Module({
  providers: [CreateCustomerHandler, UpdateCustomerHandler, DeleteCustomerHandler, GetCustomerHandler, ListCustomersHandler, EnsureCustomerService],
  exports: [EnsureCustomerService],
})
export class CustomersModule {}
