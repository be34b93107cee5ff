import type { WebhookEndpointState } from '../domain/webhook-endpoints.decider';

/** The public endpoint object of API.md section 7 (never the secret). */
export function toWebhookEndpointView(endpoint: WebhookEndpointState) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    include_internal: endpoint.include_internal,
    enabled: endpoint.enabled,
    description: endpoint.description,
    disabled_reason: endpoint.disabled_reason,
    created_at: endpoint.created_at,
    updated_at: endpoint.updated_at,
  };
}

export type WebhookEndpointView = ReturnType<typeof toWebhookEndpointView>;

/** Creating an endpoint and rotating its secret show the secret, once. */
export type WebhookEndpointWithSecretView = WebhookEndpointView & { secret: string };
