import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { notFound } from '@ledgerdesk/shared';
import { ARTICLES_COLLECTION, type ArticleDocument } from '../../projections/articles.projection';
import { toArticleView, type ArticleView } from '../article.view';
import { GetArticleQuery } from './get-article.query';

@QueryHandler(GetArticleQuery)
export class GetArticleHandler implements IQueryHandler<GetArticleQuery, ArticleView> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ workspaceId, articleId }: GetArticleQuery): Promise<ArticleView> {
    const doc = await this.readStore.collection<ArticleDocument>(ARTICLES_COLLECTION).findOne({ _id: articleId, workspace_id: workspaceId, deleted: false });
    if (!doc) throw notFound('Article');
    return toArticleView(doc);
  }
}
