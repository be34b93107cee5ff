import type { CommandContext } from '@ledgerdesk/shared';
import type { WebhookEndpointChanges } from '../../domain/webhook-endpoint.events';

export class UpdateWebhookEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    /** Only the fields the client sent. */
    readonly changes: WebhookEndpointChanges,
    readonly context: CommandContext,
  ) {}
}
