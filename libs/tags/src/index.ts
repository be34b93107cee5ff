export * from './domain/tag.events';
export * from './domain/tag.decider';
export * from './projections/tags.projection';
export * from './application/tags.service';
export * from './tags.module';
