import { deciderSpecification } from '@ledgerdesk/testing';
import { fold } from '@ledgerdesk/event-sourcing';
import type { DomainError } from '@ledgerdesk/shared';
import { customerDecider } from './customer.decider';
import type { CustomerEvent } from './customer.events';

const spec = deciderSpecification(customerDecider);
const created: CustomerEvent = {
  type: 'CustomerCreated',
  data: { customer_id: 'c-1', workspace_id: 'w-1', email: 'a@b.co', name: 'Ann', phone: null, company: null, custom_fields: {} },
};
const actor = { type: 'api_key' as const, id: 'k-1' };
const notFound = (e: DomainError) => e.code === 'NOT_FOUND' && e.message === 'Customer not found';

describe('customer decider', () => {
  it('given no customer, when created, then CustomerCreated with the email lower-cased', () => {
    spec
      .given([])
      .when({ type: 'CreateCustomer', customerId: 'c-1', workspaceId: 'w-1', email: 'A@B.co', name: 'Ann', phone: null, company: null, customFields: {} })
      .then([created]);
  });
  it('given a customer, when created again, then conflict; when ensured, then nothing happens', () => {
    spec
      .given([created])
      .when({ type: 'CreateCustomer', customerId: 'c-1', workspaceId: 'w-1', email: 'a@b.co', name: null, phone: null, company: null, customFields: {} })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT');
    spec.given([created]).when({ type: 'EnsureCustomer', customerId: 'c-1', workspaceId: 'w-1', email: 'a@b.co' }).thenNothingHappens();
  });
  it('given no customer, when ensured, then CustomerCreated with the name given and nothing else', () => {
    spec
      .given([])
      .when({ type: 'EnsureCustomer', customerId: 'c-1', workspaceId: 'w-1', email: ' A@b.CO ', name: 'Ann' })
      .then([{ type: 'CustomerCreated', data: { customer_id: 'c-1', workspace_id: 'w-1', email: 'a@b.co', name: 'Ann', phone: null, company: null } }]);
  });
  it('given a customer, when updated, then only the changed fields', () => {
    spec
      .given([created])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { name: 'Ann', company: 'Acme' } })
      .then([{ type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { company: 'Acme' } } }]);
  });
  it('given a customer, when its email is set in other case, then nothing happens; a new email is lower-cased', () => {
    spec
      .given([created])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { email: 'A@B.CO' } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { email: 'New@B.co' } })
      .then([{ type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { email: 'new@b.co' } } }]);
  });
  it('given custom fields, when updated, then merged over the current ones', () => {
    const withFields: CustomerEvent = { ...created, data: { ...created.data, custom_fields: { tier: 'gold', plan: 'a' } } } as CustomerEvent;
    spec
      .given([withFields])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { custom_fields: { plan: 'b' } } })
      .then([{ type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { custom_fields: { tier: 'gold', plan: 'b' } } } }]);
  });
  it('given a customer, when deleted, then CustomerDeleted records who asked; afterwards not found', () => {
    const deleted: CustomerEvent = { type: 'CustomerDeleted', data: { customer_id: 'c-1', workspace_id: 'w-1', requested_by: actor } };
    spec.given([created]).when({ type: 'DeleteCustomer', workspaceId: 'w-1', requestedBy: actor }).then([deleted]);
    spec
      .given([created, deleted])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { name: 'x' } })
      .thenThrows<DomainError>(notFound);
    spec.given([created, deleted]).when({ type: 'DeleteCustomer', workspaceId: 'w-1', requestedBy: actor }).thenThrows<DomainError>(notFound);
  });
  it('given no customer, when updated or deleted, then not found', () => {
    spec
      .given([])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { name: 'x' } })
      .thenThrows<DomainError>(notFound);
    spec.given([]).when({ type: 'DeleteCustomer', workspaceId: 'w-1', requestedBy: actor }).thenThrows<DomainError>(notFound);
  });
  it('given another workspace’s customer, when updated or deleted, then not found, as if there were none', () => {
    spec
      .given([created])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-2', changes: { name: 'x' } })
      .thenThrows<DomainError>(notFound);
    spec.given([created]).when({ type: 'DeleteCustomer', workspaceId: 'w-2', requestedBy: actor }).thenThrows<DomainError>(notFound);
  });
  it('given no customer, when created without email, with an identifier and a claimed email, then CustomerCreated carries them', () => {
    spec
      .given([])
      .when({
        type: 'CreateCustomer',
        customerId: 'c-2',
        workspaceId: 'w-1',
        email: null,
        identifier: 'user_1',
        claimedEmail: ' Typed@Example.com ',
        name: 'Ann',
        phone: null,
        company: null,
        customFields: {},
      })
      .then([
        {
          type: 'CustomerCreated',
          data: {
            customer_id: 'c-2',
            workspace_id: 'w-1',
            email: null,
            name: 'Ann',
            phone: null,
            company: null,
            identifier: 'user_1',
            claimed_email: 'Typed@Example.com',
            custom_fields: {},
          },
        },
      ]);
  });
  it('given no customer, when created with a blank or too long identifier, then a validation error naming identifier', () => {
    const create = (identifier: string) => ({
      type: 'CreateCustomer' as const,
      customerId: 'c-2',
      workspaceId: 'w-1',
      email: null,
      identifier,
      name: null,
      phone: null,
      company: null,
      customFields: {},
    });
    const naming = (e: DomainError) => e.code === 'VALIDATION' && Array.isArray(e.details.identifier);
    spec.given([]).when(create('  ')).thenThrows<DomainError>(naming);
    spec
      .given([])
      .when(create('x'.repeat(256)))
      .thenThrows<DomainError>(naming);
    spec
      .given([])
      .when(create('x'.repeat(255)))
      .then([expect.objectContaining({ type: 'CustomerCreated' }) as CustomerEvent]);
  });
  it('given a customer, when its identifier or claimed email changes or is cleared, then only what changed', () => {
    const identified: CustomerEvent = { ...created, data: { ...created.data, identifier: 'user_1' } } as CustomerEvent;
    spec
      .given([identified])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { identifier: 'user_1', claimed_email: 'x@y.co' } })
      .then([{ type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { claimed_email: 'x@y.co' } } }]);
    spec
      .given([identified])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { identifier: null } })
      .then([{ type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { identifier: null } } }]);
    spec
      .given([identified])
      .when({ type: 'UpdateCustomer', workspaceId: 'w-1', changes: { identifier: '' } })
      .thenThrows<DomainError>((e) => e.code === 'VALIDATION');
  });
  it('given no customer, when ensured by identifier, then created with no email and the typed one as claimed; given one, nothing', () => {
    const ensure = {
      type: 'EnsureIdentifiedCustomer' as const,
      customerId: 'c-3',
      workspaceId: 'w-1',
      identifier: 'user_3',
      name: 'Cy',
      phone: '+1',
      claimedEmail: 'cy@example.com',
      customFields: { plan: 'pro' },
    };
    const identified: CustomerEvent = {
      type: 'CustomerCreated',
      data: {
        customer_id: 'c-3',
        workspace_id: 'w-1',
        email: null,
        name: 'Cy',
        phone: '+1',
        company: null,
        identifier: 'user_3',
        claimed_email: 'cy@example.com',
        custom_fields: { plan: 'pro' },
      },
    };
    spec.given([]).when(ensure).then([identified]);
    spec.given([identified]).when(ensure).thenNothingHappens();
  });
  it('folded from an event written before identifiers existed, the profile has none and no claimed email', () => {
    expect(fold(customerDecider, [created]).profile).toEqual({
      email: 'a@b.co',
      name: 'Ann',
      phone: null,
      company: null,
      identifier: null,
      claimed_email: null,
    });
  });
  it('folded from recorded events, the state carries when the customer was created and last changed', () => {
    const at = (occurred_at: string) => ({ metadata: { occurred_at } });
    const updated: CustomerEvent = { type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { name: 'Bea' } } };
    const deleted: CustomerEvent = { type: 'CustomerDeleted', data: { customer_id: 'c-1', workspace_id: 'w-1', requested_by: actor } };
    const state = fold(customerDecider, [
      { ...created, ...at('2024-01-01T00:00:00.000Z') },
      { ...updated, ...at('2024-01-02T00:00:00.000Z') },
    ]);
    expect(state).toMatchObject({ createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-02T00:00:00.000Z' });
    expect(fold(customerDecider, [{ ...deleted, ...at('2024-01-03T00:00:00.000Z') }], state).updatedAt).toBe('2024-01-03T00:00:00.000Z');
  });
});
