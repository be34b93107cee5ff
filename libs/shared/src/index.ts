export * from './domain-error';
export * from './command-context';
export * from './secret-key';
export * from './tenancy';
export * from './secret-box';
export * from './name-based-ids';
export * from './character-count';
export * from './instant';
