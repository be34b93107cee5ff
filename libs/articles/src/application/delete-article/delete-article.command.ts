import type { CommandContext } from '@ledgerdesk/shared';

export class DeleteArticleCommand {
  constructor(
    readonly workspaceId: string,
    readonly articleId: string,
    readonly context: CommandContext,
  ) {}
}
