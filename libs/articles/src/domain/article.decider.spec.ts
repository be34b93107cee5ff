import { deciderSpecification } from '@ledgerdesk/testing';
import { fold } from '@ledgerdesk/event-sourcing';
import type { DomainError } from '@ledgerdesk/shared';
import { articleDecider } from './article.decider';
import type { ArticleEvent } from './article.events';

const spec = deciderSpecification(articleDecider);
const fields = { title: 'T', body: 'B', collection_id: 'c', status: 'draft' as const };
const created: ArticleEvent = { type: 'ArticleCreated', data: { article_id: 'a-1', workspace_id: 'w-1', ...fields } };
const deleted: ArticleEvent = { type: 'ArticleDeleted', data: { article_id: 'a-1', workspace_id: 'w-1' } };
const notFound = (e: DomainError) => e.code === 'NOT_FOUND';

describe('article decider', () => {
  it('given no article, when created, then ArticleCreated', () => {
    spec.given([]).when({ type: 'CreateArticle', articleId: 'a-1', workspaceId: 'w-1', fields }).then([created]);
  });

  it('given an article, when created again, then conflict', () => {
    spec
      .given([created])
      .when({ type: 'CreateArticle', articleId: 'a-1', workspaceId: 'w-1', fields })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
  });

  it('given an article, when published, then only the change', () => {
    spec
      .given([created])
      .when({ type: 'UpdateArticle', workspaceId: 'w-1', changes: { status: 'published', title: 'T' } })
      .then([{ type: 'ArticleUpdated', data: { article_id: 'a-1', workspace_id: 'w-1', changes: { status: 'published' } } }]);
  });

  it('given an article, when its collection is cleared, then the null is recorded', () => {
    spec
      .given([created])
      .when({ type: 'UpdateArticle', workspaceId: 'w-1', changes: { collection_id: null } })
      .then([{ type: 'ArticleUpdated', data: { article_id: 'a-1', workspace_id: 'w-1', changes: { collection_id: null } } }]);
  });

  it('given an article, when updated with its current values, then nothing happens', () => {
    spec
      .given([created])
      .when({ type: 'UpdateArticle', workspaceId: 'w-1', changes: { title: 'T', body: undefined } })
      .thenNothingHappens();
  });

  it('given an article, when deleted, then ArticleDeleted', () => {
    spec.given([created]).when({ type: 'DeleteArticle', workspaceId: 'w-1' }).then([deleted]);
  });

  it('given a deleted article, when updated or deleted again, then not found', () => {
    spec
      .given([created, deleted])
      .when({ type: 'UpdateArticle', workspaceId: 'w-1', changes: { title: 'X' } })
      .thenThrows(notFound);
    spec.given([created, deleted]).when({ type: 'DeleteArticle', workspaceId: 'w-1' }).thenThrows(notFound);
  });

  it('given no article, when updated or deleted, then not found', () => {
    spec
      .given([])
      .when({ type: 'UpdateArticle', workspaceId: 'w-1', changes: { title: 'X' } })
      .thenThrows(notFound);
    spec.given([]).when({ type: 'DeleteArticle', workspaceId: 'w-1' }).thenThrows(notFound);
  });

  it('given another workspace’s article, when updated or deleted, then not found', () => {
    spec
      .given([created])
      .when({ type: 'UpdateArticle', workspaceId: 'w-2', changes: { title: 'X' } })
      .thenThrows(notFound);
    spec.given([created]).when({ type: 'DeleteArticle', workspaceId: 'w-2' }).thenThrows(notFound);
  });

  it('folded from recorded events, the state carries when the article was created and last changed', () => {
    const at = (occurred_at: string) => ({ metadata: { occurred_at } });
    const updated: ArticleEvent = { type: 'ArticleUpdated', data: { article_id: 'a-1', workspace_id: 'w-1', changes: { title: 'X' } } };
    const state = fold(articleDecider, [
      { ...created, ...at('2024-01-01T00:00:00.000Z') },
      { ...updated, ...at('2024-01-02T00:00:00.000Z') },
    ]);
    expect(state).toMatchObject({ createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z' });
    expect(fold(articleDecider, [{ ...deleted, ...at('2024-01-03T00:00:00.000Z') }], state).updatedAt).toBe('2024-01-03T00:00:00.000Z');
  });
});
