import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError } from '@ledgerdesk/shared';

/**
 * Webhook endpoints of one workspace: one aggregate (stream `webhook-endpoints-<workspace id>`)
 * holding all of them. A workspace has a handful of endpoints, and one stream lets the
 * dispatcher find "the endpoints of W as of log position p" with a single stream read.
 */
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

export const webhookEndpointsStreamId = (workspaceId: string) => `webhook-endpoints-${workspaceId}`;
export const WEBHOOK_ENDPOINTS_STREAM_PREFIX = 'webhook-endpoints-';

export interface WebhookEndpointState {
  id: string;
  url: string;
  events: string[];
  include_internal: boolean;
  enabled: boolean;
  description: string | null;
  /** `whsec_...`: needed in clear to sign, so it lives in the log like any credential we must use. */
  secret: string;
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
}

export type WebhookEndpointsState = { endpoints: Record<string, WebhookEndpointState> };

export type WebhookEndpointChanges = Partial<Pick<WebhookEndpointState, 'url' | 'events' | 'include_internal' | 'enabled' | 'description'>>;

export type WebhookEndpointEvent =
  | { type: 'WebhookEndpointCreated'; data: Omit<WebhookEndpointState, 'disabled_reason' | 'updated_at'> & { endpoint_id: string } }
  | {
      type: 'WebhookEndpointUpdated';
      data: { endpoint_id: string; changes: WebhookEndpointChanges; at: string };
    }
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

export type WebhookEndpointCommand =
  | { type: 'create'; endpoint: Omit<WebhookEndpointState, 'disabled_reason' | 'updated_at'> }
  | { type: 'update'; endpointId: string; changes: WebhookEndpointChanges; at: string }
  | { type: 'rotate-secret'; endpointId: string; secret: string; at: string }
  | { type: 'disable'; endpointId: string; reason: string; at: string }
  | { type: 'delete'; endpointId: string; at: string };

const MAX_ENDPOINTS = 50;

function existing(state: WebhookEndpointsState, id: string): WebhookEndpointState {
  const endpoint = state.endpoints[id];
  if (!endpoint) throw new DomainError('NOT_FOUND', 'Webhook endpoint not found');
  return endpoint;
}

export const webhookEndpointsDecider: Decider<WebhookEndpointCommand, WebhookEndpointEvent, WebhookEndpointsState> = {
  initialState: { endpoints: {} },
  decide(command, state) {
    switch (command.type) {
      case 'create': {
        if (Object.keys(state.endpoints).length >= MAX_ENDPOINTS) {
          throw new DomainError('VALIDATION', `A workspace can have at most ${MAX_ENDPOINTS} webhook endpoints`);
        }
        return [{ type: 'WebhookEndpointCreated', data: { ...command.endpoint, endpoint_id: command.endpoint.id } }];
      }
      case 'update': {
        existing(state, command.endpointId);
        if (Object.keys(command.changes).length === 0) return [];
        return [{ type: 'WebhookEndpointUpdated', data: { endpoint_id: command.endpointId, changes: command.changes, at: command.at } }];
      }
      case 'rotate-secret':
        existing(state, command.endpointId);
        return [{ type: 'WebhookEndpointSecretRotated', data: { endpoint_id: command.endpointId, secret: command.secret, at: command.at } }];
      case 'disable': {
        const endpoint = state.endpoints[command.endpointId];
        if (!endpoint || !endpoint.enabled) return [];
        return [{ type: 'WebhookEndpointDisabled', data: { endpoint_id: command.endpointId, reason: command.reason, at: command.at } }];
      }
      case 'delete':
        existing(state, command.endpointId);
        return [{ type: 'WebhookEndpointDeleted', data: { endpoint_id: command.endpointId, at: command.at } }];
    }
  },
  evolve(state, event) {
    const endpoints = { ...state.endpoints };
    switch (event.type) {
      case 'WebhookEndpointCreated': {
        const { endpoint_id, ...rest } = event.data;
        endpoints[endpoint_id] = { ...rest, id: endpoint_id, disabled_reason: null, updated_at: rest.created_at };
        break;
      }
      case 'WebhookEndpointUpdated': {
        const current = endpoints[event.data.endpoint_id];
        if (current) {
          const next = { ...current, ...event.data.changes, updated_at: event.data.at };
          if (event.data.changes.enabled === true) next.disabled_reason = null;
          endpoints[event.data.endpoint_id] = next;
        }
        break;
      }
      case 'WebhookEndpointSecretRotated': {
        const current = endpoints[event.data.endpoint_id];
        if (current) endpoints[event.data.endpoint_id] = { ...current, secret: event.data.secret, updated_at: event.data.at };
        break;
      }
      case 'WebhookEndpointDisabled': {
        const current = endpoints[event.data.endpoint_id];
        if (current) endpoints[event.data.endpoint_id] = { ...current, enabled: false, disabled_reason: event.data.reason, updated_at: event.data.at };
        break;
      }
      case 'WebhookEndpointDeleted':
        delete endpoints[event.data.endpoint_id];
        break;
    }
    return { endpoints };
  },
};

/** Does this endpoint subscribe to `type`? */
export const subscribes = (endpoint: Pick<WebhookEndpointState, 'events'>, type: string) => endpoint.events.includes('*') || endpoint.events.includes(type);

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
