import { createdDocument, defineProjection, updatedDocument, type EntityDocument, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { searchTokensIndex } from '@ledgerdesk/read-store';
import { ARTICLE_EVENT_TYPES, type ArticleEvent, type ArticleFields } from '../domain/article.events';

export const ARTICLES_COLLECTION = 'articles';

export type ArticleDocument = EntityDocument & ArticleFields & { deleted: boolean };

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
        // `search` narrows by trigram tokens of title and body, derived by the read store.
        searchTokensIndex(['title', 'body']),
      ],
      documentId: (event) => event.data.article_id,
      evolve(article: ArticleDocument | null, event): ArticleDocument | null {
        switch (event.type) {
          case 'ArticleCreated': {
            const { workspace_id, title, body, collection_id, status } = event.data;
            return createdDocument<ArticleDocument>(event.data.article_id, event, {
              workspace_id,
              title,
              body,
              collection_id,
              status,
              deleted: false,
            });
          }
          case 'ArticleUpdated': {
            if (!article) return null;
            return updatedDocument(article, event, event.data.changes);
          }
          case 'ArticleDeleted':
            return article && updatedDocument(article, event, { deleted: true });
        }
      },
    },
  },
});
