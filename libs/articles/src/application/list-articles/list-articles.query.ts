import type { ArticleStatus } from '../../domain/article.events';

export interface ListArticlesCriteria {
  collectionId?: string;
  status?: ArticleStatus;
  /** Case-insensitive substring of the title or the body. */
  search?: string;
  orderBy: 'created_at' | 'updated_at';
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

export class ListArticlesQuery {
  constructor(
    readonly workspaceId: string,
    readonly criteria: ListArticlesCriteria,
  ) {}
}
