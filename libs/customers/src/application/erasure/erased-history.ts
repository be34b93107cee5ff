import type { ReadStore } from '@ledgerdesk/read-store';
import { erasedCustomer } from '../../domain/customer.events';
import { CUSTOMERS_COLLECTION, type CustomerDocument } from '../../projections/customers.projection';

/** An entry of an event history as served (GET /tickets/{id}/events, the change feed). */
interface HistoryEntry {
  type: string;
  data: Record<string, unknown>;
}

/** The customer an event's personal data belongs to, if it carries any. */
function customerOf(entry: HistoryEntry): string | null {
  const data = entry.data;
  switch (entry.type) {
    case 'CustomerCreated':
    case 'CustomerUpdated':
      return typeof data.customer_id === 'string' ? data.customer_id : null;
    case 'UniqueValueClaimed':
    case 'UniqueValueReleased':
      return data.kind === 'customer' && typeof data.owner_id === 'string' ? data.owner_id : null;
    case 'TicketCreated': {
      const customer = data.customer as { id?: unknown } | undefined;
      return typeof customer?.id === 'string' ? customer.id : null;
    }
    default:
      return null;
  }
}

function withoutPersonalData(entry: HistoryEntry, customerId: string): Record<string, unknown> {
  const data = entry.data;
  switch (entry.type) {
    case 'CustomerCreated':
      return { ...data, email: null, name: null, phone: null, company: null, identifier: null, claimed_email: null, custom_fields: {}, erased: true };
    case 'CustomerUpdated': {
      const changes = (data.changes ?? {}) as Record<string, unknown>;
      return { ...data, changes: Object.fromEntries(Object.keys(changes).map((k) => [k, null])), erased: true };
    }
    case 'UniqueValueClaimed':
    case 'UniqueValueReleased':
      return { ...data, value: null, erased: true };
    case 'TicketCreated':
      return { ...data, customer: erasedCustomer(customerId) };
    default:
      return data;
  }
}

/**
 * Right to erasure in history: events keep their place in the log (the hash chain must still
 * verify against the stored events), but an erased customer's name, email, phone, company,
 * identifier and claimed email are never served again, from any history endpoint.
 */
export async function redactErasedCustomers<T extends HistoryEntry>(readStore: ReadStore, workspaceId: string, entries: T[]): Promise<T[]> {
  const ids = [...new Set(entries.map(customerOf).filter((id): id is string => id !== null))];
  if (ids.length === 0) return entries;
  const erased = await readStore.collection<CustomerDocument>(CUSTOMERS_COLLECTION).find({ _id: { $in: ids }, workspace_id: workspaceId, deleted: true });
  if (erased.length === 0) return entries;
  const erasedIds = new Set(erased.map((c) => c._id));
  return entries.map((entry) => {
    const customerId = customerOf(entry);
    return customerId && erasedIds.has(customerId) ? { ...entry, data: withoutPersonalData(entry, customerId) } : entry;
  });
}
