export class GetWebhookEndpointQuery {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
  ) {}
}
