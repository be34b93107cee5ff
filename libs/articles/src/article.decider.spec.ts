import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { articleDecider, type ArticleEvent } from './article';

const spec = deciderSpecification(articleDecider);
const fields = { title: 'T', body: 'B', collection_id: 'c', status: 'draft' as const };
const created: ArticleEvent = { type: 'ArticleCreated', data: { article_id: 'a-1', workspace_id: 'w-1', ...fields } };
describe('article decider', () => {
  it('given no article, when created, then ArticleCreated', () => {
    spec.given([]).when({ type: 'CreateArticle', articleId: 'a-1', workspaceId: 'w-1', fields }).then([created]);
  });
  it('given an article, when published, then only the change', () => {
    spec
      .given([created])
      .when({ type: 'UpdateArticle', changes: { status: 'published', title: 'T' } })
      .then([{ type: 'ArticleUpdated', data: { article_id: 'a-1', workspace_id: 'w-1', changes: { status: 'published' } } }]);
  });
  it('given a deleted article, when deleted again, then not found', () => {
    spec
      .given([created, { type: 'ArticleDeleted', data: { article_id: 'a-1', workspace_id: 'w-1' } }])
      .when({ type: 'DeleteArticle' })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});
