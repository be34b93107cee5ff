export * from './domain/cable-protocol';
export * from './domain/audience';
export * from './domain/resume-gate';
export * from './application/cable-subscriber';
export * from './application/cable-events';
export * from './application/cable-hub';
export * from './realtime.module';
