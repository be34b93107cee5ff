export type ArticleStatus = 'draft' | 'published';
export const ARTICLE_STATUSES: readonly ArticleStatus[] = ['draft', 'published'];

export interface ArticleFields {
  title: string;
  body: string;
  collection_id: string | null;
  status: ArticleStatus;
}

export type ArticleEvent =
  | { type: 'ArticleCreated'; data: { article_id: string; workspace_id: string } & ArticleFields }
  | { type: 'ArticleUpdated'; data: { article_id: string; workspace_id: string; changes: Partial<ArticleFields> } }
  | { type: 'ArticleDeleted'; data: { article_id: string; workspace_id: string } };

export const ARTICLE_EVENT_TYPES: ReadonlySet<string> = new Set<ArticleEvent['type']>(['ArticleCreated', 'ArticleUpdated', 'ArticleDeleted']);

export const articleStreamId = (id: string) => `article-${id}`;
