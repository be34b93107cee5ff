import { customerStreamId, erasedCustomer } from '@ledgerdesk/customers';
import type { Decider, DomainEvent } from '@ledgerdesk/event-sourcing';
import type { CurrentFolds } from './stream-folds';

/**
 * Erasure in deliveries (API.md section 6: an erased customer shows as
 * `{ id, name: null, email: null, company: null, erased: true }`). Erasure is final, so it
 * reaches every delivery attempted after it, whichever event the delivery is for: the ticket
 * snapshots of events after it (TicketSnapshots), and, when a delivery planned before it is
 * attempted (a retry, a backlog), the body actually sent (`bodyToSend`).
 */

/** A customer's stream folded down to "was it erased". */
export const customerErasureFold: Pick<Decider<unknown, DomainEvent, boolean>, 'evolve' | 'initialState'> = {
  initialState: false,
  evolve: (erased, event) => erased || event.type === 'CustomerDeleted',
};

/** A customer object of a `customer.*` payload, its personal data erased (as the history serves it). */
export const withoutPersonalData = (customer: Record<string, unknown>) => ({
  ...customer,
  email: null,
  name: null,
  phone: null,
  company: null,
  ...('identifier' in customer && { identifier: null, claimed_email: null }),
  custom_fields: {},
  erased: true,
});

interface Payload {
  data?: {
    ticket?: { customer?: { id?: string } | null } | null;
    customer?: Record<string, unknown> | null;
    /** An inbox callback's sender: a contact is the ticket's customer. */
    sender?: { id?: string | null; name?: string | null; type?: string } | null;
  };
}

/** The customer whose personal data a webhook or callback body carries: its ticket's, or its customer's. */
export function customerIdOfBody(body: string): string | null {
  const data = (JSON.parse(body) as Payload).data;
  return data?.ticket?.customer?.id ?? (data?.customer?.id as string | undefined) ?? null;
}

/** The body with the customer's personal data erased; everything else as it was. */
export function erasedBody(body: string): string {
  const payload = JSON.parse(body) as Payload;
  const data = payload.data;
  const ticketCustomer = data?.ticket?.customer;
  if (data?.ticket && ticketCustomer?.id) data.ticket.customer = erasedCustomer(ticketCustomer.id);
  if (data?.sender?.type === 'contact' && data.sender.id === ticketCustomer?.id) data.sender.name = null;
  // customer.deleted carries the erased form already (older deliveries: `{ id, deleted: true }`).
  if (data?.customer && !data.customer.erased && !data.customer.deleted) data.customer = withoutPersonalData(data.customer);
  return JSON.stringify(payload);
}

/** What the delivery workers ask before each attempt: is this customer erased, now. */
export class CustomerErasures {
  constructor(private readonly folds: CurrentFolds) {}

  /** `head`: see CurrentFolds.fold. */
  isErased(customerId: string, head?: number): Promise<boolean> {
    return this.folds.fold(customerStreamId(customerId), customerErasureFold, head);
  }

  /**
   * The body of a webhook or callback as it may go out now. The dispatcher records whose data
   * it carries (`customer_id`); records planned before that (no such field) are read for it.
   * `head`: see CurrentFolds.fold.
   */
  async bodyToSend(payload: Record<string, unknown>, head?: number): Promise<string> {
    const body = payload.body as string;
    const customerId = payload.customer_id === undefined ? customerIdOfBody(body) : (payload.customer_id as string | null);
    if (!customerId || !(await this.isErased(customerId, head))) return body;
    return erasedBody(body);
  }
}
