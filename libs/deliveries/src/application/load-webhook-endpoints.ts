import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import { webhookEndpointsDecider, type WebhookEndpointsState } from '../domain/webhook-endpoints.decider';
import { webhookEndpointsStreamId } from '../domain/webhook-endpoint.events';

/**
 * The workspace's endpoints as the write side sees them (no read model holds them: the
 * workspace's one stream is small, and reads see their own writes).
 */
export async function loadWebhookEndpoints(runner: CommandRunner, workspaceId: string): Promise<WebhookEndpointsState> {
  const { state } = await runner.load(webhookEndpointsStreamId(workspaceId), webhookEndpointsDecider);
  return state;
}
