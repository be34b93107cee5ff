import type { Actor } from '@ledgerdesk/shared';

export interface CustomerProfile {
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
}

export interface CustomerChanges {
  email?: string;
  name?: string | null;
  phone?: string | null;
  company?: string | null;
  custom_fields?: Record<string, unknown>;
}

export type CustomerEvent =
  | {
      type: 'CustomerCreated';
      data: { customer_id: string; workspace_id: string; custom_fields?: Record<string, unknown> } & CustomerProfile;
    }
  | { type: 'CustomerUpdated'; data: { customer_id: string; workspace_id: string; changes: CustomerChanges } }
  /** Personal data is erased from every read model; `requested_by` records who asked. */
  | { type: 'CustomerDeleted'; data: { customer_id: string; workspace_id: string; requested_by: Actor } };

export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set<CustomerEvent['type']>(['CustomerCreated', 'CustomerUpdated', 'CustomerDeleted']);

/** What tickets show for a customer whose personal data was erased. */
export const erasedCustomer = (id: string) => ({ id, name: null, email: null, company: null, erased: true as const });
