export * from './domain/customer.events';
export * from './domain/customer-identity';
export * from './domain/customer.decider';
export * from './projections/customers.projection';
export * from './application/ensure-customer/ensure-customer.service';
export * from './application/manage/customers.service';
export * from './application/erasure/erased-history';
export * from './customers.module';
