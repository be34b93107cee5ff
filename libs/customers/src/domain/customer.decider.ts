import type { Decider, OccurredAt } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, notFound, type Actor } from '@ledgerdesk/shared';
import { profileOfCreated, type CustomerChanges, type CustomerEvent, type CustomerProfile } from './customer.events';
import { normalizeEmail } from './customer-identity';

export type CustomerCommand =
  | { type: 'EnsureCustomer'; customerId: string; workspaceId: string; email: string; name?: string | null }
  /** Find-or-create by the integrator's identifier (a verified chat contact); its email is only claimed. */
  | {
      type: 'EnsureIdentifiedCustomer';
      customerId: string;
      workspaceId: string;
      identifier: string;
      name: string | null;
      phone: string | null;
      claimedEmail: string | null;
      customFields: Record<string, unknown>;
    }
  | {
      type: 'CreateCustomer';
      customerId: string;
      workspaceId: string;
      email: string | null;
      identifier?: string | null;
      claimedEmail?: string | null;
      name: string | null;
      phone: string | null;
      company: string | null;
      customFields: Record<string, unknown>;
    }
  | { type: 'UpdateCustomer'; workspaceId: string; changes: CustomerChanges }
  | { type: 'DeleteCustomer'; workspaceId: string; requestedBy: Actor };

export interface CustomerState {
  exists: boolean;
  deleted: boolean;
  id: string | null;
  workspaceId: string | null;
  profile: CustomerProfile | null;
  customFields: Record<string, unknown>;
  /** When the customer was created and last changed (null until an event carrying its time). */
  createdAt: string | null;
  updatedAt: string | null;
}

export const initialCustomerState: CustomerState = {
  exists: false,
  deleted: false,
  id: null,
  workspaceId: null,
  profile: null,
  customFields: {},
  createdAt: null,
  updatedAt: null,
};

function decide(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'EnsureCustomer':
      // Find-or-create: an existing customer is found, not changed.
      if (state.exists) return [];
      return [
        {
          type: 'CustomerCreated',
          data: {
            customer_id: command.customerId,
            workspace_id: command.workspaceId,
            email: normalizeEmail(command.email),
            name: command.name ?? null,
            phone: null,
            company: null,
          },
        },
      ];
    case 'EnsureIdentifiedCustomer':
      if (state.exists) return [];
      assertIdentifier(command.identifier);
      return [
        {
          type: 'CustomerCreated',
          data: {
            customer_id: command.customerId,
            workspace_id: command.workspaceId,
            email: null,
            name: command.name,
            phone: command.phone,
            company: null,
            identifier: command.identifier,
            ...(command.claimedEmail ? { claimed_email: command.claimedEmail.trim() } : {}),
            custom_fields: command.customFields,
          },
        },
      ];
    case 'CreateCustomer': {
      if (state.exists) throw new DomainError('CONFLICT', 'A customer with this email already exists', { email: ['already exists'] });
      if (command.identifier != null) assertIdentifier(command.identifier);
      // The new fields are written only when set, so a customer without them reads as before.
      return [
        {
          type: 'CustomerCreated',
          data: {
            customer_id: command.customerId,
            workspace_id: command.workspaceId,
            email: command.email === null ? null : normalizeEmail(command.email),
            name: command.name,
            phone: command.phone,
            company: command.company,
            ...(command.identifier != null ? { identifier: command.identifier } : {}),
            ...(command.claimedEmail ? { claimed_email: command.claimedEmail.trim() } : {}),
            custom_fields: command.customFields,
          },
        },
      ];
    }
    case 'UpdateCustomer': {
      assertVisibleTo(state, command.workspaceId, 'Customer');
      if (!state.id || !state.profile) throw notFound('Customer');
      const changes: CustomerChanges = {};
      const c = command.changes;
      if (c.email !== undefined && normalizeEmail(c.email) !== state.profile.email) changes.email = normalizeEmail(c.email);
      if (c.name !== undefined && c.name !== state.profile.name) changes.name = c.name;
      if (c.phone !== undefined && c.phone !== state.profile.phone) changes.phone = c.phone;
      if (c.company !== undefined && c.company !== state.profile.company) changes.company = c.company;
      if (c.identifier !== undefined && c.identifier !== state.profile.identifier) {
        if (c.identifier !== null) assertIdentifier(c.identifier);
        changes.identifier = c.identifier;
      }
      const claimed = c.claimed_email === undefined || c.claimed_email === null ? c.claimed_email : c.claimed_email.trim();
      if (claimed !== undefined && claimed !== state.profile.claimed_email) changes.claimed_email = claimed;
      if (c.custom_fields !== undefined) changes.custom_fields = { ...state.customFields, ...c.custom_fields };
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'CustomerUpdated', data: { customer_id: state.id, workspace_id: command.workspaceId, changes } }];
    }
    case 'DeleteCustomer':
      assertVisibleTo(state, command.workspaceId, 'Customer');
      if (!state.id) throw notFound('Customer');
      return [{ type: 'CustomerDeleted', data: { customer_id: state.id, workspace_id: command.workspaceId, requested_by: command.requestedBy } }];
  }
}

function evolve(state: CustomerState, event: CustomerEvent & OccurredAt): CustomerState {
  // Every customer event changes what the customer shows (as the projection sets updated_at).
  const at = event.metadata?.occurred_at;
  switch (event.type) {
    case 'CustomerCreated': {
      return {
        ...state,
        exists: true,
        id: event.data.customer_id,
        workspaceId: event.data.workspace_id,
        profile: profileOfCreated(event.data),
        customFields: event.data.custom_fields ?? {},
        createdAt: at ?? null,
        updatedAt: at ?? null,
      };
    }
    case 'CustomerUpdated': {
      const { custom_fields, ...profile } = event.data.changes;
      return {
        ...state,
        profile: state.profile ? { ...state.profile, ...profile } : state.profile,
        customFields: custom_fields ?? state.customFields,
        updatedAt: at ?? state.updatedAt,
      };
    }
    case 'CustomerDeleted':
      return { ...state, deleted: true, updatedAt: at ?? state.updatedAt };
  }
}

/** The integrator's id for a person: 1..255 characters, not blank. */
export const MAX_IDENTIFIER_LENGTH = 255;

function assertIdentifier(identifier: string): void {
  if (identifier.trim().length === 0 || identifier.length > MAX_IDENTIFIER_LENGTH) {
    throw new DomainError('VALIDATION', 'identifier must be 1 to 255 characters, not blank', { identifier: ['must be 1 to 255 characters, not blank'] });
  }
}

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  decide,
  evolve,
  initialState: initialCustomerState,
};
