import type { CommandContext } from '@ledgerdesk/shared';

export interface CreateWebhookEndpointInput {
  url: string;
  events: string[];
  include_internal?: boolean;
  enabled?: boolean;
  description?: string | null;
}

export class CreateWebhookEndpointCommand {
  constructor(
    readonly workspaceId: string,
    readonly input: CreateWebhookEndpointInput,
    readonly context: CommandContext,
  ) {}
}
