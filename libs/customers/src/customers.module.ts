import { Module } from '@nestjs/common';
import { EnsureCustomerService } from './application/ensure-customer/ensure-customer.service';
import { CustomersService } from './application/manage/customers.service';
/** The customers context: its use cases; find-or-create for the contexts that name customers. */
@Module({ imports: [], providers: [EnsureCustomerService, CustomersService], exports: [EnsureCustomerService, CustomersService] })
export class CustomersModule {}
