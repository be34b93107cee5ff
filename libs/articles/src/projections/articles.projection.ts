import { createdDocument, defineProjection, updatedDocument, type EntityDocument, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { SEARCH_TOKENS_INDEX, searchTokens } from '@ledgerdesk/read-store';
import { ARTICLE_EVENT_TYPES, type ArticleEvent, type ArticleFields } from '../domain/article.events';

export const ARTICLES_COLLECTION = 'articles';

/** `search_tokens`: trigram tokens of title and body, narrowing `search` (see searchTokens). */
export type ArticleDocument = EntityDocument & ArticleFields & { search_tokens: readonly number[]; deleted: boolean };

export const articlesProjection = defineProjection<RecordedOf<ArticleEvent>>({
  name: 'articles',
  eventTypes: ARTICLE_EVENT_TYPES as ReadonlySet<ArticleEvent['type']>,
  collections: {
    [ARTICLES_COLLECTION]: {
      indexes: [
        { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
        { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
        { keys: { workspace_id: 1, collection_id: 1 } },
        { keys: { workspace_id: 1, status: 1 } },
        SEARCH_TOKENS_INDEX,
      ],
      documentId: (event) => event.data.article_id,
      evolve(article: ArticleDocument | null, event): ArticleDocument | null {
        switch (event.type) {
          case 'ArticleCreated': {
            const { workspace_id, title, body, collection_id, status } = event.data;
            const search_tokens = searchTokens(title, body);
            return createdDocument<ArticleDocument>(event.data.article_id, event, {
              workspace_id,
              title,
              body,
              collection_id,
              status,
              search_tokens,
              deleted: false,
            });
          }
          case 'ArticleUpdated': {
            if (!article) return null;
            const { changes } = event.data;
            if (changes.title === undefined && changes.body === undefined) return updatedDocument(article, event, changes);
            const search_tokens = searchTokens(changes.title ?? article.title, changes.body ?? article.body);
            return updatedDocument(article, event, { ...changes, search_tokens });
          }
          case 'ArticleDeleted':
            return article && updatedDocument(article, event, { deleted: true });
        }
      },
    },
  },
});
