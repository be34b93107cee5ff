export * from './admin-token';
export * from './config';
export * from './embedded-redis';
export * from './free-port';
export * from './process-control';
export * from './redis-connection';
export * from './runtime-logger';
export * from './redis-ping';
