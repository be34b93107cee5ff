import type { Decider, OccurredAt } from '@ledgerdesk/event-sourcing';
import { assertVisibleTo, DomainError, notFound, type Actor } from '@ledgerdesk/shared';
import type { CustomerChanges, CustomerEvent, CustomerProfile } from './customer.events';
import { normalizeEmail } from './customer-identity';

export type CustomerCommand =
  | { type: 'EnsureCustomer'; customerId: string; workspaceId: string; email: string; name?: string | null }
  | {
      type: 'CreateCustomer';
      customerId: string;
      workspaceId: string;
      email: string;
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
    case 'CreateCustomer':
      if (state.exists) throw new DomainError('CONFLICT', 'A customer with this email already exists', { email: ['already exists'] });
      return [
        {
          type: 'CustomerCreated',
          data: {
            customer_id: command.customerId,
            workspace_id: command.workspaceId,
            email: normalizeEmail(command.email),
            name: command.name,
            phone: command.phone,
            company: command.company,
            custom_fields: command.customFields,
          },
        },
      ];
    case 'UpdateCustomer': {
      assertVisibleTo(state, command.workspaceId, 'Customer');
      if (!state.id || !state.profile) throw notFound('Customer');
      const changes: CustomerChanges = {};
      const c = command.changes;
      if (c.email !== undefined && normalizeEmail(c.email) !== state.profile.email) changes.email = normalizeEmail(c.email);
      if (c.name !== undefined && c.name !== state.profile.name) changes.name = c.name;
      if (c.phone !== undefined && c.phone !== state.profile.phone) changes.phone = c.phone;
      if (c.company !== undefined && c.company !== state.profile.company) changes.company = c.company;
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
      const { email, name, phone, company } = event.data;
      return {
        ...state,
        exists: true,
        id: event.data.customer_id,
        workspaceId: event.data.workspace_id,
        profile: { email, name, phone, company },
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

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  decide,
  evolve,
  initialState: initialCustomerState,
};
