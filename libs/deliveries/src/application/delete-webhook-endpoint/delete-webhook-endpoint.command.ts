import type { CommandContext } from '@ledgerdesk/shared';

export class DeleteWebhookEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly context: CommandContext,
  ) {}
}
