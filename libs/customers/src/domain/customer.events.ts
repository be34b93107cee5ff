import type { Actor } from '@ledgerdesk/shared';

export interface CustomerProfile {
  /** Unique in the workspace when set; a contact created by a chat client may have none. */
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  /** The integrator's own id for the person: unique in the workspace when set. */
  identifier: string | null;
  /** An email a contact typed into a public client: shown, never unique, never matched. */
  claimed_email: string | null;
}

export interface CustomerChanges {
  email?: string;
  name?: string | null;
  phone?: string | null;
  company?: string | null;
  identifier?: string | null;
  claimed_email?: string | null;
  custom_fields?: Record<string, unknown>;
}

/** What CustomerCreated carries; events written before identifiers existed lack the last two. */
export interface CustomerCreatedData {
  customer_id: string;
  workspace_id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  identifier?: string | null;
  claimed_email?: string | null;
  custom_fields?: Record<string, unknown>;
}

export type CustomerEvent =
  | { type: 'CustomerCreated'; data: CustomerCreatedData }
  | { type: 'CustomerUpdated'; data: { customer_id: string; workspace_id: string; changes: CustomerChanges } }
  /** Personal data is erased from every read model; `requested_by` records who asked. */
  | { type: 'CustomerDeleted'; data: { customer_id: string; workspace_id: string; requested_by: Actor } };

export const CUSTOMER_EVENT_TYPES: ReadonlySet<string> = new Set<CustomerEvent['type']>(['CustomerCreated', 'CustomerUpdated', 'CustomerDeleted']);

/** The profile a CustomerCreated event describes (older events: no identifier, no claimed email). */
export const profileOfCreated = (data: CustomerCreatedData): CustomerProfile => ({
  email: data.email,
  name: data.name,
  phone: data.phone,
  company: data.company,
  identifier: data.identifier ?? null,
  claimed_email: data.claimed_email ?? null,
});

/** What tickets show for a customer whose personal data was erased. */
export const erasedCustomer = (id: string) => ({ id, name: null, email: null, company: null, erased: true as const });
