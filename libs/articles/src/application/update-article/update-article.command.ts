import type { CommandContext } from '@ledgerdesk/shared';
import type { ArticleFields } from '../../domain/article.events';

export class UpdateArticleCommand {
  constructor(
    readonly workspaceId: string,
    readonly articleId: string,
    /** undefined: unchanged. */
    readonly changes: Partial<ArticleFields>,
    readonly context: CommandContext,
  ) {}
}
