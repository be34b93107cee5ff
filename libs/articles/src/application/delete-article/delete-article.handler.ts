import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { articleDecider } from '../../domain/article.decider';
import { articleStreamId } from '../../domain/article.events';
import { DeleteArticleCommand } from './delete-article.command';

export interface DeleteArticleResult {
  position: number | null;
}

@CommandHandler(DeleteArticleCommand)
export class DeleteArticleHandler implements ICommandHandler<DeleteArticleCommand, DeleteArticleResult> {
  constructor(private readonly runner: CommandRunner) {}

  async execute({ workspaceId, articleId, context }: DeleteArticleCommand): Promise<DeleteArticleResult> {
    const outcome = await this.runner.run(articleStreamId(articleId), articleDecider, { type: 'DeleteArticle', workspaceId }, context);
    return { position: outcome.position };
  }
}
