import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { articleDecider } from '../../domain/article.decider';
import { articleStreamId } from '../../domain/article.events';
import { articleViewOf, type ArticleView } from '../article.view';
import { UpdateArticleCommand } from './update-article.command';

export interface UpdateArticleResult {
  article: ArticleView;
  /** null when nothing changed (nothing was written). */
  position: number | null;
}

@CommandHandler(UpdateArticleCommand)
export class UpdateArticleHandler implements ICommandHandler<UpdateArticleCommand, UpdateArticleResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, articleId, changes, context }: UpdateArticleCommand): Promise<UpdateArticleResult> {
    const outcome = await this.runner.run(articleStreamId(articleId), articleDecider, { type: 'UpdateArticle', workspaceId, changes }, context);
    // The answer is the state the decision led to (the decider refused anything not visible);
    // nothing changed, it is the article as it was, times included.
    return { article: articleViewOf(outcome.state), position: outcome.position };
  }
}
