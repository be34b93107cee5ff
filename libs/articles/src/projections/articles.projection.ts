import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument } from '@ledgerdesk/read-store';
import { ARTICLE_EVENT_TYPES, type ArticleEvent, type ArticleFields } from '../domain/article.events';

export const ARTICLES_COLLECTION = 'articles';

export interface ArticleDocument extends ProjectedDocument, ArticleFields {
  id: string;
  workspace_id: string;
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

export const articlesProjection: Projection = {
  name: 'articles',
  collections: {
    [ARTICLES_COLLECTION]: [
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, collection_id: 1 } },
      { keys: { workspace_id: 1, status: 1 } },
    ],
  },
  eventTypes: ARTICLE_EVENT_TYPES,
  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const articles = target.collection<ArticleDocument>(ARTICLES_COLLECTION);
    const at = event.metadata.occurred_at;
    const e = { type: event.type, data: event.data } as unknown as ArticleEvent;
    switch (e.type) {
      case 'ArticleCreated': {
        const { article_id, workspace_id, ...fields } = e.data;
        await articles.put({
          _id: article_id,
          _position: event.position,
          id: article_id,
          workspace_id,
          ...fields,
          deleted: false,
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'ArticleUpdated':
        await articles.updateMany({ _id: e.data.article_id }, { $set: { ...e.data.changes, updated_at: at } }, event.position);
        return;
      case 'ArticleDeleted':
        await articles.updateMany({ _id: e.data.article_id }, { $set: { deleted: true, updated_at: at } }, event.position);
        return;
    }
  },
};
