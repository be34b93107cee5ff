import type { CommandContext } from '@ledgerdesk/shared';

export class RotateWebhookSecretCommand {
  constructor(
    readonly workspaceId: string,
    readonly endpointId: string,
    readonly context: CommandContext,
  ) {}
}
