import type { CustomerState } from '../domain/customer.decider';

/** A contact session of the customer on one inbox (API.md section 8), as the customer object lists it. */
export interface ContactInboxView {
  inbox_id: string;
  source_id: string;
  hmac_verified: boolean;
  created_at: string;
}

/** What the view reads; documents written before identifiers and sessions existed lack the last three. */
interface CustomerViewSource {
  id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  identifier?: string | null;
  claimed_email?: string | null;
  custom_fields: Record<string, unknown>;
  ticket_count: number;
  contact_inboxes?: ContactInboxView[];
  created_at: string;
  updated_at: string;
}

/** The API's customer object (API.md sections 6 and 8). */
export const toCustomerView = (doc: CustomerViewSource) => ({
  id: doc.id,
  email: doc.email,
  name: doc.name,
  phone: doc.phone,
  company: doc.company,
  identifier: doc.identifier ?? null,
  claimed_email: doc.claimed_email ?? null,
  custom_fields: doc.custom_fields,
  ticket_count: doc.ticket_count,
  contact_inboxes: (doc.contact_inboxes ?? []).map((s) => ({
    inbox_id: s.inbox_id,
    source_id: s.source_id,
    hmac_verified: s.hmac_verified,
    created_at: s.created_at,
  })),
  created_at: doc.created_at,
  updated_at: doc.updated_at,
});

export type CustomerView = ReturnType<typeof toCustomerView>;

/**
 * The customer object from the write side (the state its events lead to), as the customers
 * projection builds it from the same events. `ticketCount` and `contactInboxes` come from other
 * streams (the tickets' and the contact sessions' events).
 */
export function customerViewOf(state: CustomerState, ticketCount: number, contactInboxes: ContactInboxView[] = []): CustomerView {
  if (!state.id || !state.profile || !state.createdAt || !state.updatedAt) throw new Error('A customer view needs a created customer');
  return toCustomerView({
    id: state.id,
    ...state.profile,
    custom_fields: state.customFields,
    ticket_count: ticketCount,
    contact_inboxes: contactInboxes,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  });
}
