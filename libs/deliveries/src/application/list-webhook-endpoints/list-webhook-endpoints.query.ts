export class ListWebhookEndpointsQuery {
  constructor(
    readonly workspaceId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}
