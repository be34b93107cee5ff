export * from './change-feed';
export * from './verify';
export * from './export';
