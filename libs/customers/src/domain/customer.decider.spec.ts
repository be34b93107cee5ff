import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { customerDecider } from './customer.decider';
import type { CustomerEvent } from './customer.events';
import { uniqueClaimDecider } from '@ledgerdesk/event-sourcing';

const spec = deciderSpecification(customerDecider);
const created: CustomerEvent = {
  type: 'CustomerCreated',
  data: { customer_id: 'c-1', workspace_id: 'w-1', email: 'a@b.co', name: 'Ann', phone: null, company: null, custom_fields: {} },
};
const actor = { type: 'api_key' as const, id: 'k-1' };

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
  it('given a customer, when updated, then only the changed fields', () => {
    spec
      .given([created])
      .when({ type: 'UpdateCustomer', changes: { name: 'Ann', company: 'Acme' } })
      .then([{ type: 'CustomerUpdated', data: { customer_id: 'c-1', workspace_id: 'w-1', changes: { company: 'Acme' } } }]);
  });
  it('given a customer, when deleted, then CustomerDeleted records who asked; afterwards not found', () => {
    const deleted: CustomerEvent = { type: 'CustomerDeleted', data: { customer_id: 'c-1', workspace_id: 'w-1', requested_by: actor } };
    spec.given([created]).when({ type: 'DeleteCustomer', requestedBy: actor }).then([deleted]);
    spec
      .given([created, deleted])
      .when({ type: 'UpdateCustomer', changes: { name: 'x' } })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
    spec
      .given([created, deleted])
      .when({ type: 'DeleteCustomer', requestedBy: actor })
      .thenThrows<DomainError>((e) => e.code === 'NOT_FOUND');
  });
});

describe('unique claim decider', () => {
  const claims = deciderSpecification(uniqueClaimDecider);
  const claimed = { type: 'UniqueValueClaimed' as const, data: { kind: 'customer', workspace_id: 'w-1', value: 'a@b.co', owner_id: 'c-1' } };
  const released = { type: 'UniqueValueReleased' as const, data: { kind: 'customer', workspace_id: 'w-1', value: 'a@b.co', owner_id: 'c-1' } };
  it('given nothing, when claimed, then claimed for the derived id', () => {
    claims.given([]).when({ type: 'Claim', kind: 'customer', workspaceId: 'w-1', value: 'a@b.co', ownerId: 'c-1', reclaimId: 'c-9' }).then([claimed]);
  });
  it('given a claim, when another claims, then conflict; find-or-claim finds the owner', () => {
    claims
      .given([claimed])
      .when({ type: 'Claim', kind: 'customer', workspaceId: 'w-1', value: 'a@b.co', ownerId: 'c-2' })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT' && e.details.existing_id === 'c-1');
    claims.given([claimed]).when({ type: 'FindOrClaim', kind: 'customer', workspaceId: 'w-1', value: 'a@b.co', ownerId: 'c-2' }).thenNothingHappens();
  });
  it('given a released value, when claimed again, then it goes to the fresh id', () => {
    claims
      .given([claimed, released])
      .when({ type: 'FindOrClaim', kind: 'customer', workspaceId: 'w-1', value: 'a@b.co', ownerId: 'c-1', reclaimId: 'c-9' })
      .then([{ type: 'UniqueValueClaimed', data: { kind: 'customer', workspace_id: 'w-1', value: 'a@b.co', owner_id: 'c-9' } }]);
  });
});
