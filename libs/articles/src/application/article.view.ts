import type { ArticleState } from '../domain/article.decider';
import type { ArticleDocument } from '../projections/articles.projection';

/** The API's article object (API.md section 6). */
export const toArticleView = (d: Pick<ArticleDocument, 'id' | 'title' | 'body' | 'collection_id' | 'status' | 'created_at' | 'updated_at'>) => ({
  id: d.id,
  title: d.title,
  body: d.body,
  collection_id: d.collection_id,
  status: d.status,
  created_at: d.created_at,
  updated_at: d.updated_at,
});

export type ArticleView = ReturnType<typeof toArticleView>;

/** The article object from the write side (the state its events lead to), as the articles projection builds it. */
export function articleViewOf(state: ArticleState): ArticleView {
  if (!state.id || !state.fields || !state.createdAt || !state.updatedAt) throw new Error('An article view needs a created article');
  return toArticleView({ id: state.id, ...state.fields, created_at: state.createdAt, updated_at: state.updatedAt });
}
