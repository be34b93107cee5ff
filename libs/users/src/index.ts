export * from './domain/user.events';
export * from './domain/user.decider';
export * from './projections/users.projection';
export * from './application/users.service';
export * from './users.module';
