export class ListWebhookDeliveriesQuery {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}
