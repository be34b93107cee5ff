import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import { CUSTOMERS_COLLECTION, customersProjection, type CustomerDocument } from './customers.projection';

const spec = projectionSpecification(customersProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';

const created = recordedEvent(
  'CustomerCreated',
  { customer_id: 'c-1', workspace_id: 'w-1', email: 'jane@example.com', name: 'Jane', phone: null, company: 'Acme', custom_fields: { plan: 'pro' } },
  { position: 1, occurredAt: T0 },
);
const customer: CustomerDocument = {
  _id: 'c-1',
  _position: 1,
  id: 'c-1',
  workspace_id: 'w-1',
  email: 'jane@example.com',
  name: 'Jane',
  phone: null,
  company: 'Acme',
  identifier: null,
  claimed_email: null,
  custom_fields: { plan: 'pro' },
  ticket_count: 0,
  contact_inboxes: [],
  deleted: false,
  created_at: T0,
  updated_at: T0,
};
const ticketCreated = (position: number, customerId = 'c-1') =>
  recordedEvent('TicketCreated', { ticket_id: `t-${position}`, customer: { id: customerId, name: null, email: null, company: null } }, { position });

describe('customers projection', () => {
  it('creates a customer', () =>
    spec
      .given([])
      .when(created)
      .then({ [CUSTOMERS_COLLECTION]: [customer] }));

  it('creates a customer from an event without custom fields', () =>
    spec
      .given([])
      .when({ ...created, data: { ...created.data, custom_fields: undefined } })
      .then({ [CUSTOMERS_COLLECTION]: [{ ...customer, custom_fields: {} }] }));

  it('applies the changes of an update', () =>
    spec
      .given([created])
      .when(
        recordedEvent(
          'CustomerUpdated',
          { customer_id: 'c-1', workspace_id: 'w-1', changes: { name: 'Janet', phone: '+1 555' } },
          { position: 2, occurredAt: T1 },
        ),
      )
      .then({
        [CUSTOMERS_COLLECTION]: [{ ...customer, _position: 2, name: 'Janet', phone: '+1 555', updated_at: T1 }],
      }));

  it('erases the personal data of a deleted customer and keeps a tombstone', () =>
    spec
      .given([created, ticketCreated(2)])
      .when(
        recordedEvent(
          'CustomerDeleted',
          { customer_id: 'c-1', workspace_id: 'w-1', requested_by: { type: 'admin', id: null } },
          { position: 3, occurredAt: T1 },
        ),
      )
      .then({
        [CUSTOMERS_COLLECTION]: [
          {
            ...customer,
            _position: 3,
            deleted: true,
            email: null,
            name: null,
            phone: null,
            company: null,
            custom_fields: {},
            ticket_count: 1,
            updated_at: T1,
          },
        ],
      }));

  it('keeps the identifier and claimed email of a customer and changes them', () =>
    spec
      .given([{ ...created, data: { ...created.data, email: null, identifier: 'user_1', claimed_email: 'typed@example.com' } }])
      .when(
        recordedEvent(
          'CustomerUpdated',
          { customer_id: 'c-1', workspace_id: 'w-1', changes: { identifier: 'user_2', claimed_email: null } },
          { position: 2, occurredAt: T1 },
        ),
      )
      .then({
        [CUSTOMERS_COLLECTION]: [{ ...customer, _position: 2, email: null, identifier: 'user_2', claimed_email: null, updated_at: T1 }],
      }));

  it('lists the contact sessions opened for the customer, oldest first, without touching updated_at', () => {
    const opened = (position: number, sourceId: string, hmacVerified: boolean) =>
      recordedEvent(
        'ContactSessionOpened',
        { source_id: sourceId, workspace_id: 'w-1', customer_id: 'c-1', inbox_id: 'i-1', hmac_verified: hmacVerified, pubsub_token: 'enc:v1:k:x' },
        { position, occurredAt: T1 },
      );
    return spec
      .given([created, opened(2, 'lds_a', false)])
      .when(opened(3, 'lds_b', true))
      .then({
        [CUSTOMERS_COLLECTION]: [
          {
            ...customer,
            _position: 3,
            contact_inboxes: [
              { inbox_id: 'i-1', source_id: 'lds_a', hmac_verified: false, created_at: T1 },
              { inbox_id: 'i-1', source_id: 'lds_b', hmac_verified: true, created_at: T1 },
            ],
          },
        ],
      });
  });

  it('erases the identifier and claimed email of a deleted customer', () =>
    spec
      .given([{ ...created, data: { ...created.data, identifier: 'user_1', claimed_email: 'typed@example.com' } }])
      .when(
        recordedEvent(
          'CustomerDeleted',
          { customer_id: 'c-1', workspace_id: 'w-1', requested_by: { type: 'admin', id: null } },
          { position: 2, occurredAt: T1 },
        ),
      )
      .then({
        [CUSTOMERS_COLLECTION]: [
          {
            ...customer,
            _position: 2,
            deleted: true,
            email: null,
            name: null,
            phone: null,
            company: null,
            identifier: null,
            claimed_email: null,
            custom_fields: {},
            updated_at: T1,
          },
        ],
      }));

  it('counts the tickets created and deleted for the customer, without touching updated_at', () =>
    spec
      .given([created, ticketCreated(2), ticketCreated(3), ticketCreated(4, 'c-2')])
      .when(recordedEvent('TicketDeleted', { ticket_id: 't-2', customer_id: 'c-1', tags: [] }, { position: 5 }))
      .then({ [CUSTOMERS_COLLECTION]: [{ ...customer, _position: 5, ticket_count: 1 }] }));

  it('ignores a deleted ticket without customer, and events of an unknown customer', () =>
    spec
      .given([created])
      .when(
        recordedEvent('TicketDeleted', { ticket_id: 't-2', customer_id: null, tags: [] }, { position: 2 }),
        recordedEvent('CustomerUpdated', { customer_id: 'c-9', workspace_id: 'w-1', changes: { name: 'X' } }, { position: 3 }),
        ticketCreated(4, 'c-9'),
      )
      .thenNothingChanges());
});
