export class GetArticleQuery {
  constructor(
    readonly workspaceId: string,
    readonly articleId: string,
  ) {}
}
