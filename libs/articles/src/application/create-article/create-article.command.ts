import type { CommandContext } from '@ledgerdesk/shared';
import type { ArticleFields } from '../../domain/article.events';

export class CreateArticleCommand {
  constructor(
    readonly workspaceId: string,
    readonly fields: ArticleFields,
    readonly context: CommandContext,
  ) {}
}
