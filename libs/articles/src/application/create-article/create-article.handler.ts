import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { articleDecider } from '../../domain/article.decider';
import { articleStreamId } from '../../domain/article.events';
import { articleViewOf, type ArticleView } from '../article.view';
import { CreateArticleCommand } from './create-article.command';
import { newEntityId } from '@ledgerdesk/shared';

export interface CreateArticleResult {
  article: ArticleView;
  position: number;
}

@CommandHandler(CreateArticleCommand)
export class CreateArticleHandler implements ICommandHandler<CreateArticleCommand, CreateArticleResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, fields, context }: CreateArticleCommand): Promise<CreateArticleResult> {
    const articleId = newEntityId(context);
    const outcome = await this.runner.run(articleStreamId(articleId), articleDecider, { type: 'CreateArticle', articleId, workspaceId, fields }, context, {
      newStream: true,
    });
    // The answer is the article as written, as the projection will build it.
    return { article: articleViewOf(outcome.state), position: outcome.position ?? 0 };
  }
}
