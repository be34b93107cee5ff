import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { uniqueClaimDecider } from './unique-claim.decider';

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
