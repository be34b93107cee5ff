import type { RecordedEvent } from '@ledgerdesk/event-store';
import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { ProjectedDocument } from '@ledgerdesk/read-store';
import type { CustomerEvent } from '../domain/customer.events';

export const CUSTOMERS_COLLECTION = 'customers';

export interface CustomerDocument extends ProjectedDocument {
  id: string;
  workspace_id: string;
  email: string | null;
  name: string | null;
  phone: string | null;
  company: string | null;
  custom_fields: Record<string, unknown>;
  ticket_count: number;
  created_at: string;
  updated_at: string;
}

/** Customers, with ticket_count kept from the tickets' events. */
export const customersProjection: Projection = {
  name: 'customers',
  collections: {
    [CUSTOMERS_COLLECTION]: [
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, email: 1 } },
    ],
  },
  eventTypes: new Set(['CustomerCreated', 'TicketCreated']),

  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const customers = target.collection<CustomerDocument>(CUSTOMERS_COLLECTION);
    if (event.type === 'CustomerCreated') {
      const data = event.data as unknown as Extract<CustomerEvent, { type: 'CustomerCreated' }>['data'];
      await customers.put({
        _id: data.customer_id,
        _position: event.position,
        id: data.customer_id,
        workspace_id: data.workspace_id,
        email: data.email,
        name: data.name,
        phone: data.phone,
        company: data.company,
        custom_fields: {},
        ticket_count: 0,
        created_at: event.metadata.occurred_at,
        updated_at: event.metadata.occurred_at,
      });
    } else if (event.type === 'TicketCreated') {
      const customerId = (event.data as { customer: { id: string } }).customer.id;
      await customers.updateMany({ _id: customerId }, { $inc: { ticket_count: 1 } }, event.position);
    }
  },
};
