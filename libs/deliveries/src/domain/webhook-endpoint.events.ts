/**
 * Webhook endpoints of one workspace: one aggregate (stream `webhook-endpoints-<workspace id>`)
 * holding all of them. A workspace has a handful of endpoints, and one stream lets the
 * dispatcher find "the endpoints of W as of log position p" with a single stream read.
 */
export const webhookEndpointsStreamId = (workspaceId: string) => `webhook-endpoints-${workspaceId}`;
export const WEBHOOK_ENDPOINTS_STREAM_PREFIX = 'webhook-endpoints-';

/** What an endpoint may subscribe to (besides `*`): API.md section 7. */
export const WEBHOOK_EVENT_TYPES = [
  'ticket.created',
  'ticket.updated',
  'ticket.message.created',
  'ticket.merged',
  'ticket.deleted',
  'customer.created',
  'customer.deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** An endpoint as created. */
export interface WebhookEndpointSettings {
  id: string;
  url: string;
  events: string[];
  include_internal: boolean;
  enabled: boolean;
  description: string | null;
  /**
   * The `whsec_...` signing secret, sealed (`enc:v1:...`, SecretBox) before it is appended, so the
   * log never holds it in clear; opened only to sign. Events of older versions hold it in clear.
   */
  secret: string;
  created_at: string;
}

export type WebhookEndpointChanges = Partial<Pick<WebhookEndpointSettings, 'url' | 'events' | 'include_internal' | 'enabled' | 'description'>>;

export type WebhookEndpointEvent =
  | { type: 'WebhookEndpointCreated'; data: WebhookEndpointSettings & { endpoint_id: string } }
  | { type: 'WebhookEndpointUpdated'; data: { endpoint_id: string; changes: WebhookEndpointChanges; at: string } }
  /** `secret` sealed, as at creation. */
  | { type: 'WebhookEndpointSecretRotated'; data: { endpoint_id: string; secret: string; at: string } }
  | { type: 'WebhookEndpointDisabled'; data: { endpoint_id: string; reason: string; at: string } }
  | { type: 'WebhookEndpointDeleted'; data: { endpoint_id: string; at: string } };

export const WEBHOOK_ENDPOINT_EVENT_TYPES: ReadonlySet<string> = new Set<WebhookEndpointEvent['type']>([
  'WebhookEndpointCreated',
  'WebhookEndpointUpdated',
  'WebhookEndpointSecretRotated',
  'WebhookEndpointDisabled',
  'WebhookEndpointDeleted',
]);
