import type { Decider } from './decider';
import { DomainError, nameBasedIds } from '@ledgerdesk/shared';

/**
 * A unique value (a customer's email, a tag's name) within a workspace, claimed through its own
 * stream whose id is derived from the value: two concurrent claims target the same stream, so
 * the event store's expected-revision check lets exactly one win. The owner may change the
 * value (claim the new one, release the old one) without ever sharing it.
 */
export type ClaimEvent =
  | { type: 'UniqueValueClaimed'; data: { kind: string; workspace_id: string; value: string; owner_id: string } }
  | { type: 'UniqueValueReleased'; data: { kind: string; workspace_id: string; value: string; owner_id: string } };

export type ClaimCommand =
  /** Claims for `ownerId`; 409 (with the owner) when another owner holds it. */
  | { type: 'Claim'; kind: string; workspaceId: string; value: string; ownerId: string; reclaimId?: string }
  /** Find-or-claim: the current owner if any, otherwise claims for `ownerId`. */
  | { type: 'FindOrClaim'; kind: string; workspaceId: string; value: string; ownerId: string; reclaimId?: string }
  | { type: 'Release'; ownerId: string };

export interface ClaimState {
  ownerId: string | null;
  /** Claimed at least once before: a released value never goes back to its derived id. */
  everClaimed: boolean;
  kind: string | null;
  workspaceId: string | null;
  value: string | null;
}

const claimIds = nameBasedIds('a3c1f0d2-7b64-4e1a-9c55-0f2e8d7b6a13');

export const claimStreamId = (kind: string, workspaceId: string, value: string) => `claim-${kind}-${claimIds(`${workspaceId}:${value}`)}`;

export const uniqueClaimDecider: Decider<ClaimCommand, ClaimEvent, ClaimState> = {
  decide(command, state) {
    switch (command.type) {
      case 'Claim':
      case 'FindOrClaim': {
        if (state.ownerId === command.ownerId) return [];
        if (state.ownerId) {
          if (command.type === 'FindOrClaim') return [];
          throw new DomainError('CONFLICT', `${command.kind} already exists`, { existing_id: state.ownerId });
        }
        // A value released before is claimed for a fresh id: its derived id belongs to its first owner.
        const owner = state.everClaimed && command.reclaimId ? command.reclaimId : command.ownerId;
        return [
          {
            type: 'UniqueValueClaimed',
            data: { kind: command.kind, workspace_id: command.workspaceId, value: command.value, owner_id: owner },
          },
        ];
      }
      case 'Release': {
        if (state.ownerId !== command.ownerId) return [];
        return [
          {
            type: 'UniqueValueReleased',
            data: { kind: state.kind ?? '', workspace_id: state.workspaceId ?? '', value: state.value ?? '', owner_id: command.ownerId },
          },
        ];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'UniqueValueClaimed':
        return { ownerId: event.data.owner_id, everClaimed: true, kind: event.data.kind, workspaceId: event.data.workspace_id, value: event.data.value };
      case 'UniqueValueReleased':
        return { ...state, ownerId: null };
    }
  },
  initialState: { ownerId: null, everClaimed: false, kind: null, workspaceId: null, value: null },
};
