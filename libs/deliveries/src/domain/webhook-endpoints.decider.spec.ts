import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { MAX_WEBHOOK_ENDPOINTS, visibleEndpoint, webhookEndpointsDecider, type WebhookEndpointCommand } from './webhook-endpoints.decider';
import type { WebhookEndpointEvent } from './webhook-endpoint.events';

const spec = deciderSpecification(webhookEndpointsDecider);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';
const settings = {
  id: 'e-1',
  url: 'https://hooks.example.com/a',
  events: ['ticket.created'],
  include_internal: false,
  enabled: true,
  description: null,
  secret: 'whsec_one',
  created_at: T0,
};
const created = (id = 'e-1'): WebhookEndpointEvent => ({ type: 'WebhookEndpointCreated', data: { ...settings, id, endpoint_id: id } });
const deleted: WebhookEndpointEvent = { type: 'WebhookEndpointDeleted', data: { endpoint_id: 'e-1', at: T1 } };
const notFound = (e: DomainError) => e.code === 'NOT_FOUND' && e.message === 'Webhook endpoint not found';

describe('webhook endpoints decider', () => {
  it('given nothing, when created with only url and events, then the defaults apply and events are distinct', () => {
    spec
      .given([])
      .when({
        type: 'create',
        workspaceId: 'w-1',
        endpoint: { id: 'e-1', url: settings.url, events: ['ticket.created', 'ticket.created'], secret: 'whsec_one', created_at: T0 },
      })
      .then([created()]);
  });

  it('given the maximum number of endpoints, when one more is created, then it is refused', () => {
    const full = Array.from({ length: MAX_WEBHOOK_ENDPOINTS }, (_, i) => created(`e-${i}`));
    spec
      .given(full)
      .when({ type: 'create', workspaceId: 'w-1', endpoint: { ...settings, id: 'e-new' } })
      .thenThrows<DomainError>((e) => e.code === 'VALIDATION');
  });

  it('given an endpoint, when updated, then WebhookEndpointUpdated with distinct events', () => {
    spec
      .given([created()])
      .when({ type: 'update', workspaceId: 'w-1', endpointId: 'e-1', changes: { events: ['*', '*'], include_internal: true }, at: T1 })
      .then([{ type: 'WebhookEndpointUpdated', data: { endpoint_id: 'e-1', changes: { events: ['*'], include_internal: true }, at: T1 } }]);
  });

  it('given an endpoint, when updated with no changes, then nothing happens', () => {
    spec.given([created()]).when({ type: 'update', workspaceId: 'w-1', endpointId: 'e-1', changes: {}, at: T1 }).thenNothingHappens();
  });

  it('given an endpoint, when its secret is rotated, then the new secret is recorded', () => {
    spec
      .given([created()])
      .when({ type: 'rotate-secret', workspaceId: 'w-1', endpointId: 'e-1', secret: 'whsec_two', at: T1 })
      .then([{ type: 'WebhookEndpointSecretRotated', data: { endpoint_id: 'e-1', secret: 'whsec_two', at: T1 } }]);
  });

  it('given an endpoint, when deleted, then WebhookEndpointDeleted', () => {
    spec.given([created()]).when({ type: 'delete', workspaceId: 'w-1', endpointId: 'e-1', at: T1 }).then([deleted]);
  });

  it.each<WebhookEndpointCommand>([
    { type: 'update', workspaceId: 'w-1', endpointId: 'e-1', changes: {}, at: T1 },
    { type: 'rotate-secret', workspaceId: 'w-1', endpointId: 'e-1', secret: 'whsec_two', at: T1 },
    { type: 'delete', workspaceId: 'w-1', endpointId: 'e-1', at: T1 },
  ])('given no endpoint or a deleted one, when $type, then not found', (command) => {
    spec.given([]).when(command).thenThrows<DomainError>(notFound);
    spec.given([created(), deleted]).when(command).thenThrows<DomainError>(notFound);
    spec
      .given([created('e-2')])
      .when(command)
      .thenThrows<DomainError>(notFound);
  });

  it('given an enabled endpoint, when disabled, then WebhookEndpointDisabled; once disabled or gone, nothing happens', () => {
    const disabled: WebhookEndpointEvent = { type: 'WebhookEndpointDisabled', data: { endpoint_id: 'e-1', reason: 'gone', at: T1 } };
    spec.given([created()]).when({ type: 'disable', endpointId: 'e-1', reason: 'gone', at: T1 }).then([disabled]);
    spec.given([created(), disabled]).when({ type: 'disable', endpointId: 'e-1', reason: 'gone', at: T1 }).thenNothingHappens();
    spec.given([]).when({ type: 'disable', endpointId: 'e-1', reason: 'gone', at: T1 }).thenNothingHappens();
  });

  it('evolves: updated_at follows the changes, enabling again clears the disabled reason', () => {
    const events: WebhookEndpointEvent[] = [
      created(),
      { type: 'WebhookEndpointDisabled', data: { endpoint_id: 'e-1', reason: 'gone', at: T1 } },
      { type: 'WebhookEndpointUpdated', data: { endpoint_id: 'e-1', changes: { enabled: true }, at: '2026-05-04T12:00:00.000Z' } },
    ];
    const state = events.reduce(webhookEndpointsDecider.evolve, webhookEndpointsDecider.initialState);
    expect(visibleEndpoint(state, 'e-1')).toMatchObject({ enabled: true, disabled_reason: null, created_at: T0, updated_at: '2026-05-04T12:00:00.000Z' });
    expect(() => visibleEndpoint(state, 'e-2')).toThrow('Webhook endpoint not found');
  });
});
