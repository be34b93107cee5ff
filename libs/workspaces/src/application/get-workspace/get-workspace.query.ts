export class GetWorkspaceQuery {
  constructor(readonly workspaceId: string) {}
}
