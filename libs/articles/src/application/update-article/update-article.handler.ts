import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { EVENT_STORE, type EventStore } from '@ledgerdesk/event-store';
import { notFound } from '@ledgerdesk/shared';
import { articleDecider } from '../../domain/article.decider';
import { articleStreamId } from '../../domain/article.events';
import { articleTimes } from '../article-times';
import { toArticleView, type ArticleView } from '../article.view';
import { UpdateArticleCommand } from './update-article.command';

export interface UpdateArticleResult {
  article: ArticleView;
  /** null when nothing changed (nothing was written). */
  position: number | null;
}

@CommandHandler(UpdateArticleCommand)
export class UpdateArticleHandler implements ICommandHandler<UpdateArticleCommand, UpdateArticleResult> {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ workspaceId, articleId, changes, context }: UpdateArticleCommand): Promise<UpdateArticleResult> {
    const outcome = await this.runner.run(articleStreamId(articleId), articleDecider, { type: 'UpdateArticle', workspaceId, changes }, context);
    // The answer is the state the decision led to; the decider refused anything not visible.
    const { id, fields } = outcome.state;
    if (!id || !fields) throw notFound('Article');
    const times = await articleTimes(this.store, articleId, outcome.events);
    return { article: toArticleView({ id, ...fields, ...times }), position: outcome.position };
  }
}
