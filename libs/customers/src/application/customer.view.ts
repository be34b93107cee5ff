import type { CustomerState } from '../domain/customer.decider';
import type { CustomerDocument } from '../projections/customers.projection';

type CustomerViewSource = Pick<
  CustomerDocument,
  'id' | 'email' | 'name' | 'phone' | 'company' | 'custom_fields' | 'ticket_count' | 'created_at' | 'updated_at'
>;

/** The API's customer object (API.md section 6). */
export const toCustomerView = (doc: CustomerViewSource) => ({
  id: doc.id,
  email: doc.email,
  name: doc.name,
  phone: doc.phone,
  company: doc.company,
  custom_fields: doc.custom_fields,
  ticket_count: doc.ticket_count,
  created_at: doc.created_at,
  updated_at: doc.updated_at,
});

export type CustomerView = ReturnType<typeof toCustomerView>;

/**
 * The customer object from the write side (the state its events lead to), as the customers
 * projection builds it from the same events. `ticketCount` is the tickets context's count.
 */
export function customerViewOf(state: CustomerState, ticketCount: number): CustomerView {
  if (!state.id || !state.profile || !state.createdAt || !state.updatedAt) throw new Error('A customer view needs a created customer');
  return toCustomerView({
    id: state.id,
    ...state.profile,
    custom_fields: state.customFields,
    ticket_count: ticketCount,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
  });
}
