export * from './projections.registry';
export * from './projector-host';
