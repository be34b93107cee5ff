import { Module } from '@nestjs/common';
import { CreateArticleHandler } from './application/create-article/create-article.handler';
import { DeleteArticleHandler } from './application/delete-article/delete-article.handler';
import { GetArticleHandler } from './application/get-article/get-article.handler';
import { ListArticlesHandler } from './application/list-articles/list-articles.handler';
import { UpdateArticleHandler } from './application/update-article/update-article.handler';

/** The articles context: the knowledge base's articles. */
@Module({
  providers: [CreateArticleHandler, UpdateArticleHandler, DeleteArticleHandler, GetArticleHandler, ListArticlesHandler],
})
export class ArticlesModule {}
