export * from './decider-specification';
export * from './projection-specification';
export * from './redis-test-server';
export * from './test-app';
export * from './delivery-receivers';
export * from './seeded-random';
export * from './event-metadata';
