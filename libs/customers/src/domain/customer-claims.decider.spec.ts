import { multiStreamDeciderSpecification } from '@ledgerdesk/testing';
import type { ClaimEvent } from '@ledgerdesk/event-sourcing';
import type { DomainError } from '@ledgerdesk/shared';
import { customerClaimsDecider } from './customer-claims.decider';

const spec = multiStreamDeciderSpecification(customerClaimsDecider);
const claimed = (value: string, owner: string): ClaimEvent => ({
  type: 'UniqueValueClaimed',
  data: { kind: 'customer', workspace_id: 'w-1', value, owner_id: owner },
});
const released = (value: string, owner: string): ClaimEvent => ({
  type: 'UniqueValueReleased',
  data: { kind: 'customer', workspace_id: 'w-1', value, owner_id: owner },
});
const both = [
  { field: 'email' as const, value: 'a@b.co' },
  { field: 'identifier' as const, value: 'user_1' },
];

describe('customer claims decider', () => {
  it('given free values, when a new customer claims email and identifier, then both go to the id its email derives', () => {
    spec
      .given([[], []])
      .when({ workspaceId: 'w-1', claims: both, owner: { derived: 'c-1', reclaimId: 'c-9' } })
      .then([[claimed('a@b.co', 'c-1')], [claimed('user_1', 'c-1')]]);
  });
  it('given an email given up before, when claimed for a new customer, then both go to the fresh id', () => {
    spec
      .given([[claimed('a@b.co', 'c-1'), released('a@b.co', 'c-1')], []])
      .when({ workspaceId: 'w-1', claims: both, owner: { derived: 'c-1', reclaimId: 'c-9' } })
      .then([[claimed('a@b.co', 'c-9')], [claimed('user_1', 'c-9')]]);
  });
  it('given an identifier held by another customer, when claimed, then a conflict naming identifier (nothing claimed)', () => {
    spec
      .given([[], [claimed('user_1', 'c-2')]])
      .when({ workspaceId: 'w-1', claims: both, owner: { derived: 'c-1', reclaimId: 'c-9' } })
      .thenThrows<DomainError>(
        (e) =>
          e.code === 'CONFLICT' && e.message === 'A customer with this identifier already exists' && Array.isArray(e.details.identifier) && !e.details.email,
      );
  });
  it('given an email held by another customer, when claimed, then a conflict naming email', () => {
    spec
      .given([[claimed('a@b.co', 'c-2')]])
      .when({ workspaceId: 'w-1', claims: [both[0]], owner: { id: 'c-1' } })
      .thenThrows<DomainError>((e) => e.code === 'CONFLICT' && Array.isArray(e.details.email) && e.details.existing_id === 'c-2');
  });
  it('given values the customer holds, when claimed for it again, then nothing happens', () => {
    spec
      .given([[claimed('a@b.co', 'c-1')], [claimed('user_1', 'c-1')]])
      .when({ workspaceId: 'w-1', claims: both, owner: { id: 'c-1' } })
      .thenNothingHappens();
  });
  it('given no email, when an identifier is claimed for a given id, then for that id', () => {
    spec
      .given([[]])
      .when({ workspaceId: 'w-1', claims: [both[1]], owner: { id: 'c-5' } })
      .then([[claimed('user_1', 'c-5')]]);
  });
});
