import type { CommandContext } from '@ledgerdesk/shared';

export class RetryWebhookDeliveryCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly deliveryId: string,
    readonly context: CommandContext,
  ) {}
}
