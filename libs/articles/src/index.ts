export * from './article';
export * from './articles.module';
