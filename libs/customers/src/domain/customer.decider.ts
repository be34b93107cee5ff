import type { Decider } from '@ledgerdesk/event-sourcing';
import type { CustomerEvent, CustomerProfile } from './customer.events';
import { normalizeEmail } from './customer-identity';

export type CustomerCommand = {
  type: 'EnsureCustomer';
  customerId: string;
  workspaceId: string;
  email: string;
  name?: string | null;
};

export interface CustomerState {
  exists: boolean;
  id: string | null;
  profile: CustomerProfile | null;
}

export const initialCustomerState: CustomerState = { exists: false, id: null, profile: null };

function decide(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
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
}

function evolve(state: CustomerState, event: CustomerEvent): CustomerState {
  switch (event.type) {
    case 'CustomerCreated': {
      const { email, name, phone, company } = event.data;
      return { exists: true, id: event.data.customer_id, profile: { email, name, phone, company } };
    }
  }
}

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  decide,
  evolve,
  initialState: initialCustomerState,
};
