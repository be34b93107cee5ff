import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import { ARTICLES_COLLECTION, articlesProjection, type ArticleDocument } from './articles.projection';

const spec = projectionSpecification(articlesProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';
const ids = { article_id: 'a-1', workspace_id: 'w-1' };

const fields = { title: 'Reset a password', body: 'Click', collection_id: null, status: 'draft' } as const;
const created = recordedEvent('ArticleCreated', { ...ids, ...fields }, { position: 1, occurredAt: T0 });
const article: ArticleDocument = {
  _id: 'a-1',
  _position: 1,
  id: 'a-1',
  workspace_id: 'w-1',
  ...fields,
  deleted: false,
  created_at: T0,
  updated_at: T0,
};

describe('articles projection', () => {
  it('creates an article', () =>
    spec
      .given([])
      .when(created)
      .then({ [ARTICLES_COLLECTION]: [article] }));

  it.each([
    ['an update', 'ArticleUpdated', { changes: { status: 'published', collection_id: 'col-1' } }, { status: 'published', collection_id: 'col-1' }],
    ['a deletion', 'ArticleDeleted', {}, { deleted: true }],
    ['a new title', 'ArticleUpdated', { changes: { title: 'Printer offline' } }, { title: 'Printer offline' }],
  ])('applies %s', (_, type, data, changes) =>
    spec
      .given([created])
      .when(recordedEvent(type, { ...ids, ...data }, { position: 2, occurredAt: T1 }))
      .then({ [ARTICLES_COLLECTION]: [{ ...article, ...changes, _position: 2, updated_at: T1 }] }),
  );

  it('ignores the events of an article it does not know', () =>
    spec
      .given([recordedEvent('ArticleCreated', { ...created.data, article_id: 'a-2' }, { position: 1 })])
      .when(recordedEvent('ArticleUpdated', { ...ids, changes: { title: 'X' } }, { position: 2 }), recordedEvent('ArticleDeleted', ids, { position: 3 }))
      .then((read) => expect(read[ARTICLES_COLLECTION].map((a) => [a._id, a._position])).toEqual([['a-2', 1]])));
});
