export class GetSlackIntegrationQuery {
  constructor(readonly workspaceId: string) {}
}
