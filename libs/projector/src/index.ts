export * from './projections.registry';
export * from './projector-host';
export * from './read-model-router';
export * from './projection-report';
export * from './reactors.registry';
export * from './reactor-host';
