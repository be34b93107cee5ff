import { createdDocument, defineProjection, updatedDocument, type EntityDocument, type RecordedOf } from '@ledgerdesk/event-sourcing';
import { searchTokensIndex } from '@ledgerdesk/read-store';
import type { CustomerEvent } from '../domain/customer.events';
import type { ContactInboxView } from '../application/customer.view';

export const CUSTOMERS_COLLECTION = 'customers';

export interface CustomerDocument extends EntityDocument {
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  identifier: string | null;
  claimed_email: string | null;
  custom_fields: Record<string, unknown>;
  ticket_count: number;
  /** The customer's contact sessions, oldest first (documents of older versions may lack it). */
  contact_inboxes?: ContactInboxView[];
  deleted: boolean;
}

/** The tickets' events that count a customer's tickets (the tickets context depends on this one, not the reverse). */
type TicketCount = { type: 'TicketCreated'; data: { customer: { id: string } } } | { type: 'TicketDeleted'; data: { customer_id?: string | null } };

/** The channel's event that lists a session in the customer's contact_inboxes (the channel context depends on this one). */
type SessionOpened = { type: 'ContactSessionOpened'; data: { customer_id: string; inbox_id: string; source_id: string; hmac_verified: boolean } };

type CustomersProjectionEvent = RecordedOf<CustomerEvent | TicketCount | SessionOpened>;

/** Customers, with ticket_count kept from the tickets' events and contact_inboxes from the contact sessions'. */
export const customersProjection = defineProjection<CustomersProjectionEvent>({
  name: 'customers',
  eventTypes: ['CustomerCreated', 'CustomerUpdated', 'CustomerDeleted', 'TicketCreated', 'TicketDeleted', 'ContactSessionOpened'],
  collections: {
    [CUSTOMERS_COLLECTION]: {
      indexes: [
        { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
        { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
        { keys: { workspace_id: 1, email: 1, _id: 1 } },
        { keys: { workspace_id: 1, deleted: 1 } },
        { keys: { workspace_id: 1, phone: 1 } },
        // `search` narrows by trigram tokens of name and email, derived by the read store.
        searchTokensIndex(['name', 'email']),
      ],
      documentId(event) {
        if (event.type === 'TicketCreated') return event.data.customer.id;
        if (event.type === 'TicketDeleted') return event.data.customer_id ?? null;
        return event.data.customer_id;
      },
      evolve(customer: CustomerDocument | null, event): CustomerDocument | null {
        if (event.type === 'CustomerCreated') {
          const { workspace_id, email, name, phone, company, identifier, claimed_email, custom_fields } = event.data;
          return createdDocument<CustomerDocument>(event.data.customer_id, event, {
            workspace_id,
            email,
            name,
            phone,
            company,
            identifier: identifier ?? null,
            claimed_email: claimed_email ?? null,
            custom_fields: custom_fields ?? {},
            ticket_count: 0,
            contact_inboxes: [],
            deleted: false,
          });
        }
        if (!customer) return null;
        switch (event.type) {
          case 'CustomerUpdated': {
            return updatedDocument(customer, event, event.data.changes);
          }
          case 'CustomerDeleted':
            // Erasure: the personal data leaves the read model; the document stays as a tombstone.
            return updatedDocument(customer, event, {
              deleted: true,
              email: null,
              name: null,
              phone: null,
              company: null,
              identifier: null,
              claimed_email: null,
              custom_fields: {},
            });
          case 'TicketCreated':
            return { ...customer, _position: event.position, ticket_count: customer.ticket_count + 1 };
          case 'TicketDeleted':
            return { ...customer, _position: event.position, ticket_count: customer.ticket_count - 1 };
          case 'ContactSessionOpened': {
            // Another stream's fact, like ticket_count: the customer's updated_at stays.
            const { inbox_id, source_id, hmac_verified } = event.data;
            const session = { inbox_id, source_id, hmac_verified, created_at: event.metadata.occurred_at };
            return { ...customer, _position: event.position, contact_inboxes: [...(customer.contact_inboxes ?? []), session] };
          }
        }
      },
    },
  },
});
