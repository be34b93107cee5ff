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
  deleted: boolean;
  created_at: string;
  updated_at: string;
}

type Data<T extends CustomerEvent['type']> = Extract<CustomerEvent, { type: T }>['data'];

/** Customers, with ticket_count kept from the tickets' events. */
export const customersProjection: Projection = {
  name: 'customers',
  collections: {
    [CUSTOMERS_COLLECTION]: [
      { keys: { workspace_id: 1, created_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, updated_at: -1, _id: -1 } },
      { keys: { workspace_id: 1, email: 1, _id: 1 } },
      { keys: { workspace_id: 1, deleted: 1 } },
      { keys: { workspace_id: 1, phone: 1 } },
    ],
  },
  eventTypes: new Set(['CustomerCreated', 'CustomerUpdated', 'CustomerDeleted', 'TicketCreated', 'TicketDeleted']),

  async apply(event: RecordedEvent, target: ProjectionTarget): Promise<void> {
    const customers = target.collection<CustomerDocument>(CUSTOMERS_COLLECTION);
    const at = event.metadata.occurred_at;
    switch (event.type) {
      case 'CustomerCreated': {
        const data = event.data as unknown as Data<'CustomerCreated'>;
        await customers.put({
          _id: data.customer_id,
          _position: event.position,
          id: data.customer_id,
          workspace_id: data.workspace_id,
          email: data.email,
          name: data.name,
          phone: data.phone,
          company: data.company,
          custom_fields: data.custom_fields ?? {},
          ticket_count: 0,
          deleted: false,
          created_at: at,
          updated_at: at,
        });
        return;
      }
      case 'CustomerUpdated': {
        const data = event.data as unknown as Data<'CustomerUpdated'>;
        await customers.updateMany({ _id: data.customer_id }, { $set: { ...data.changes, updated_at: at } }, event.position);
        return;
      }
      case 'CustomerDeleted': {
        const data = event.data as unknown as Data<'CustomerDeleted'>;
        // Erasure: the personal data leaves the read model; the document stays as a tombstone.
        await customers.updateMany(
          { _id: data.customer_id },
          { $set: { deleted: true, email: null, name: null, phone: null, company: null, custom_fields: {}, updated_at: at } },
          event.position,
        );
        return;
      }
      case 'TicketCreated': {
        const customerId = (event.data as { customer: { id: string } }).customer.id;
        await customers.updateMany({ _id: customerId }, { $inc: { ticket_count: 1 } }, event.position);
        return;
      }
      case 'TicketDeleted': {
        const customerId = (event.data as { customer_id?: string }).customer_id;
        if (customerId) await customers.updateMany({ _id: customerId }, { $inc: { ticket_count: -1 } }, event.position);
        return;
      }
    }
  },
};
