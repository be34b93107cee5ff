import type { Decider, OccurredAt } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, invalidReference, isVisibleTo, type WorkspaceOwned } from '@ledgerdesk/shared';
import type { ContactSessionEvent } from './contact-session.events';

export type ContactSessionCommand = {
  type: 'OpenContactSession';
  sourceId: string;
  workspaceId: string;
  customerId: string;
  inboxId: string;
  hmacVerified: boolean;
  /** Sealed. */
  pubsubToken: string;
  /** What the customer's and the inbox's streams say, read just before. */
  customer: WorkspaceOwned;
  inbox: WorkspaceOwned;
};

export interface ContactSessionState {
  exists: boolean;
  sourceId: string | null;
  workspaceId: string | null;
  customerId: string | null;
  inboxId: string | null;
  hmacVerified: boolean;
  /** Sealed. */
  pubsubToken: string | null;
  createdAt: string | null;
}

export const initialContactSessionState: ContactSessionState = {
  exists: false,
  sourceId: null,
  workspaceId: null,
  customerId: null,
  inboxId: null,
  hmacVerified: false,
  pubsubToken: null,
  createdAt: null,
};

function decide(command: ContactSessionCommand, state: ContactSessionState): ContactSessionEvent[] {
  // A body reference first (400 naming inbox_id), then the customer the path names (404).
  if (!isVisibleTo(command.inbox, command.workspaceId)) throw invalidReference('inbox_id', 'inbox');
  assertVisibleTo(command.customer, command.workspaceId, 'Customer');
  // A fresh random source_id never names an existing session; should it, nothing is overwritten.
  if (state.exists) throw new DomainError('CONFLICT', 'Contact session already exists');
  return [
    {
      type: 'ContactSessionOpened',
      data: {
        source_id: command.sourceId,
        workspace_id: command.workspaceId,
        customer_id: command.customerId,
        inbox_id: command.inboxId,
        hmac_verified: command.hmacVerified,
        pubsub_token: command.pubsubToken,
      },
    },
  ];
}

function evolve(state: ContactSessionState, event: ContactSessionEvent & OccurredAt): ContactSessionState {
  switch (event.type) {
    case 'ContactSessionOpened':
      return {
        exists: true,
        sourceId: event.data.source_id,
        workspaceId: event.data.workspace_id,
        customerId: event.data.customer_id,
        inboxId: event.data.inbox_id,
        hmacVerified: event.data.hmac_verified,
        pubsubToken: event.data.pubsub_token,
        createdAt: event.metadata?.occurred_at ?? null,
      };
  }
}

export const contactSessionDecider: Decider<ContactSessionCommand, ContactSessionEvent, ContactSessionState> = {
  decide,
  evolve,
  initialState: initialContactSessionState,
};
