export class GetTagQuery {
  constructor(
    readonly workspaceId: string,
    readonly tagId: string,
  ) {}
}
