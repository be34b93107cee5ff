import type { Decider } from '@ledgerdesk/event-sourcing';
import { DomainError, notFound } from '@ledgerdesk/shared';
import type { WebhookEndpointChanges, WebhookEndpointEvent, WebhookEndpointSettings } from './webhook-endpoint.events';

export interface WebhookEndpointState extends WebhookEndpointSettings {
  disabled_reason: string | null;
  updated_at: string;
}

export type WebhookEndpointsState = { endpoints: Record<string, WebhookEndpointState> };

/**
 * The API's commands name the workspace whose stream they run on. The stream holds only that
 * workspace's endpoints, so an id of another workspace is as unknown as one that never existed.
 */
export type WebhookEndpointCommand =
  | {
      type: 'create';
      workspaceId: string;
      /** Omitted flags take the contract's defaults: include_internal false, enabled true, no description. */
      endpoint: Omit<WebhookEndpointSettings, 'include_internal' | 'enabled' | 'description'> &
        Partial<Pick<WebhookEndpointSettings, 'include_internal' | 'enabled' | 'description'>>;
    }
  | { type: 'update'; workspaceId: string; endpointId: string; changes: WebhookEndpointChanges; at: string }
  | { type: 'rotate-secret'; workspaceId: string; endpointId: string; secret: string; at: string }
  /** The delivery worker's, after a 410 Gone: a no-op for a missing or already disabled endpoint. */
  | { type: 'disable'; endpointId: string; reason: string; at: string }
  | { type: 'delete'; workspaceId: string; endpointId: string; at: string };

export const MAX_WEBHOOK_ENDPOINTS = 50;

/** The endpoint `endpointId` of this workspace's state; NOT_FOUND when there is none. */
export function visibleEndpoint(state: WebhookEndpointsState, endpointId: string): WebhookEndpointState {
  const endpoint = state.endpoints[endpointId];
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

/** An endpoint subscribes to each event type once. */
const distinct = (events: string[]) => [...new Set(events)];

export const webhookEndpointsDecider: Decider<WebhookEndpointCommand, WebhookEndpointEvent, WebhookEndpointsState> = {
  initialState: { endpoints: {} },
  decide(command, state) {
    switch (command.type) {
      case 'create': {
        if (Object.keys(state.endpoints).length >= MAX_WEBHOOK_ENDPOINTS) {
          throw new DomainError('VALIDATION', `A workspace can have at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints`);
        }
        const { endpoint } = command;
        const data = {
          ...endpoint,
          events: distinct(endpoint.events),
          include_internal: endpoint.include_internal ?? false,
          enabled: endpoint.enabled ?? true,
          description: endpoint.description ?? null,
          endpoint_id: endpoint.id,
        };
        return [{ type: 'WebhookEndpointCreated', data }];
      }
      case 'update': {
        visibleEndpoint(state, command.endpointId);
        if (Object.keys(command.changes).length === 0) return [];
        const changes = command.changes.events ? { ...command.changes, events: distinct(command.changes.events) } : command.changes;
        return [{ type: 'WebhookEndpointUpdated', data: { endpoint_id: command.endpointId, changes, at: command.at } }];
      }
      case 'rotate-secret':
        visibleEndpoint(state, command.endpointId);
        return [{ type: 'WebhookEndpointSecretRotated', data: { endpoint_id: command.endpointId, secret: command.secret, at: command.at } }];
      case 'disable': {
        const endpoint = state.endpoints[command.endpointId];
        if (!endpoint || !endpoint.enabled) return [];
        return [{ type: 'WebhookEndpointDisabled', data: { endpoint_id: command.endpointId, reason: command.reason, at: command.at } }];
      }
      case 'delete':
        visibleEndpoint(state, command.endpointId);
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
