export * from './infrastructure';
export * from './infrastructure.module';
export * from './read-consistency';
