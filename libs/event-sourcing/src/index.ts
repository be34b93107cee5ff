export * from './decider';
export * from './unique-claim.decider';
export * from './canonical-json';
export * from './event-hash';
export * from './command-runner';
export * from './log-position-tracker';
export * from './projection';
export * from './projection-runner';
