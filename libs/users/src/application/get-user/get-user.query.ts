export class GetUserQuery {
  constructor(
    readonly workspaceId: string,
    readonly userId: string,
  ) {}
}
