import type { RecordedEvent } from '@ledgerdesk/event-store';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import { projectionSpecification, recordedEvent } from '@ledgerdesk/testing';
import type { TicketCreatedData } from '../domain/ticket.events';
import { ticketsProjection } from './tickets.projection';
import { evolveTicketDocument, MESSAGES_COLLECTION, TICKETS_COLLECTION } from './ticket.read-model';
import type { MessageDocument, RecordedTicketEvent, TicketDocument } from './ticket.read-model';

const spec = projectionSpecification(ticketsProjection);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T10:05:00.000Z';

const createdData: TicketCreatedData = {
  ticket_id: 't-1',
  workspace_id: 'w-1',
  ticket_number: 1001,
  subject: 'Cannot log in',
  description: 'Loop',
  status: 'new',
  priority: 'urgent',
  source: 'api',
  inbox_id: null,
  customer: { id: 'c-1', name: 'Jane', email: 'jane@example.com', company: null },
  assignee_id: null,
  tags: ['billing'],
  custom_fields: {},
  ticket_token_hash: null,
  message: { message_id: 'm-1', author_type: 'customer', author_id: 'c-1', body: 'Loop', internal: false, external_id: null },
};
const created = recordedEvent('TicketCreated', createdData, { position: 10, streamId: 'ticket-t-1', occurredAt: T0 });

const ticketEvent = (type: string, revision: number, data: object, occurredAt = T1) =>
  recordedEvent(type, { ticket_id: 't-1', ...data }, { position: 10 + revision, revision, streamId: 'ticket-t-1', occurredAt });
const message = (
  id: string,
  revision: number,
  internal: boolean,
  author: { author_type: string; author_id: string | null } = { author_type: 'agent', author_id: null },
) => ticketEvent('MessageAppended', revision, { message_id: id, ...author, body: 'x', internal, external_id: null });

const ticket: TicketDocument = {
  _id: 't-1',
  _position: 10,
  workspace_id: 'w-1',
  id: 't-1',
  ticket_number: 1001,
  subject: 'Cannot log in',
  description: 'Loop',
  status: 'new',
  priority: 'urgent',
  priority_rank: 4,
  source: 'api',
  inbox_id: null,
  source_id: null,
  customer_id: 'c-1',
  customer: { id: 'c-1', name: 'Jane', email: 'jane@example.com', company: null },
  assignee_id: null,
  tags: ['billing'],
  custom_fields: {},
  merged_into_id: null,
  deleted: false,
  message_count: 1,
  version: 0,
  created_at: T0,
  updated_at: T0,
  last_message_at: T0,
};
const firstMessage: MessageDocument = {
  _id: 'm-1',
  _position: 10,
  workspace_id: 'w-1',
  id: 'm-1',
  ticket_id: 't-1',
  type: 'reply',
  internal: false,
  author_type: 'customer',
  author_id: 'c-1',
  body: 'Loop',
  external_id: null,
  echo_id: null,
  sender_name: null,
  edited_at: null,
  revision: 0,
  seq: 10,
  ticket_deleted: false,
  created_at: T0,
};
const after = (revision: number, changes: Partial<TicketDocument>): TicketDocument => ({
  ...ticket,
  _position: 10 + revision,
  version: revision,
  updated_at: T1,
  ...changes,
});

describe('tickets projection', () => {
  it('creates the ticket and its first message from the two events CreateTicket writes', () => {
    const { message: _inside, ...withoutMessage } = createdData;
    const opening = ticketEvent('MessageAppended', 1, { ...createdData.message, opens_ticket: true }, T0);
    return spec
      .given([])
      .when({ ...created, data: { ...withoutMessage, first_message_id: 'm-1' } }, opening)
      .then({
        [TICKETS_COLLECTION]: [{ ...ticket, _position: 11, version: 1 }],
        [MESSAGES_COLLECTION]: [{ ...firstMessage, _position: 11, seq: 11, revision: 1 }],
      });
  });

  it('creates the ticket and its first message from a TicketCreated that carries it (events written before)', () =>
    spec
      .given([])
      .when(created)
      .then({ [TICKETS_COLLECTION]: [ticket], [MESSAGES_COLLECTION]: [firstMessage] }));

  it('creates a ticket without a message when the event has none', () =>
    spec
      .given([])
      .when({ ...created, data: { ...createdData, message: null } })
      .then({ [TICKETS_COLLECTION]: [{ ...ticket, message_count: 0 }], [MESSAGES_COLLECTION]: [] }));

  it('adds replies and notes, counting public messages only', () =>
    spec
      .given([created])
      .when(message('m-2', 1, false), message('n-1', 2, true))
      .then({
        [TICKETS_COLLECTION]: [after(2, { message_count: 2, last_message_at: T1 })],
        [MESSAGES_COLLECTION]: [
          firstMessage,
          { ...firstMessage, _id: 'm-2', id: 'm-2', _position: 11, author_type: 'agent', author_id: null, body: 'x', revision: 1, seq: 11, created_at: T1 },
          {
            ...firstMessage,
            _id: 'n-1',
            id: 'n-1',
            _position: 12,
            type: 'note',
            internal: true,
            author_type: 'agent',
            author_id: null,
            body: 'x',
            revision: 2,
            seq: 12,
            created_at: T1,
          },
        ],
      }));

  it('never moves updated_at or last_message_at back for an event stamped before the last change (clock skew, a resumed request)', () => {
    const earlier = '2026-05-04T10:02:00.000Z';
    return spec
      .given([created, message('m-2', 1, false)])
      .when(
        ticketEvent('TicketStatusChanged', 2, { status: 'open', previous_status: 'new' }, earlier),
        ticketEvent('MessageAppended', 3, { message_id: 'm-3', author_type: 'agent', author_id: null, body: 'y', internal: false, external_id: null }, earlier),
      )
      .then((read) => {
        const [doc] = read[TICKETS_COLLECTION] as TicketDocument[];
        expect(doc).toMatchObject({ version: 3, status: 'open', message_count: 3, updated_at: T1, last_message_at: T1 });
        // The message itself keeps the time it was stamped with.
        expect((read[MESSAGES_COLLECTION] as MessageDocument[]).find((m) => m.id === 'm-3')?.created_at).toBe(earlier);
      });
  });

  it("keeps a channel ticket's session, and a message's echo id and sender name", () =>
    spec
      .given([])
      .when(
        { ...created, data: { ...createdData, source: 'channel', source_id: 'lds_s', message: { ...createdData.message!, echo_id: 'e-1' } } },
        ticketEvent('MessageAppended', 1, {
          message_id: 'm-2',
          author_type: 'agent',
          author_id: null,
          body: 'Hi',
          internal: false,
          external_id: null,
          sender_name: 'Acme Support',
        }),
      )
      .then((read) => {
        expect(read[TICKETS_COLLECTION][0]).toMatchObject({ source: 'channel', source_id: 'lds_s' });
        expect(read[MESSAGES_COLLECTION].map((m) => [m._id, m.echo_id, m.sender_name])).toEqual([
          ['m-1', 'e-1', null],
          ['m-2', null, 'Acme Support'],
        ]);
      }));

  it("applies a contact's edit to the message and moves the ticket's version", () =>
    spec
      .given([created])
      .when(ticketEvent('MessageEdited', 1, { message_id: 'm-1', body: 'Loop again', previous_body: 'Loop' }))
      .then({
        [TICKETS_COLLECTION]: [after(1, {})],
        [MESSAGES_COLLECTION]: [{ ...firstMessage, _position: 11, body: 'Loop again', edited_at: T1 }],
      }));

  it('marks a system message as such', () =>
    spec
      .given([created])
      .when(message('s-1', 1, false, { author_type: 'system', author_id: null }))
      .then((read) => expect(read[MESSAGES_COLLECTION].find((m) => m._id === 's-1')).toMatchObject({ type: 'system' })));

  it('stops at a message for a ticket it does not know', () =>
    spec
      .given([])
      .when(message('m-2', 1, false))
      .thenThrows('MessageAppended for unknown ticket t-1'));

  it.each([
    ['TicketStatusChanged', { status: 'open', previous_status: 'new' }, { status: 'open' }],
    ['TicketReopened', { status: 'open', previous_status: 'solved' }, { status: 'open' }],
    ['TicketPriorityChanged', { priority: 'low', previous_priority: 'urgent' }, { priority: 'low', priority_rank: 1 }],
    ['TicketAssigned', { assignee_id: 'u-1', previous_assignee_id: null }, { assignee_id: 'u-1' }],
    ['TicketUnassigned', { previous_assignee_id: 'u-1' }, { assignee_id: null }],
    ['TicketTagsChanged', { tags: ['vip'], added: ['vip'], removed: ['billing'] }, { tags: ['vip'] }],
    ['TicketSubjectChanged', { subject: 'New', previous_subject: 'Cannot log in' }, { subject: 'New' }],
    ['TicketCustomFieldsChanged', { custom_fields: { plan: 'pro' }, changed: ['plan'] }, { custom_fields: { plan: 'pro' } }],
    ['TicketMerged', { into_ticket_id: 't-2', status: 'closed', previous_status: 'open' }, { status: 'closed', merged_into_id: 't-2' }],
  ])('applies %s', (type, data, changes) =>
    spec
      .given([created])
      .when(ticketEvent(type, 1, data))
      .then({ [TICKETS_COLLECTION]: [after(1, changes as Partial<TicketDocument>)] }),
  );

  it('ignores a change of a ticket it does not know', () =>
    spec
      .given([])
      .when(ticketEvent('TicketStatusChanged', 1, { status: 'open', previous_status: 'new' }))
      .thenNothingChanges());

  it('deletes a ticket and takes its messages out of the lists', () =>
    spec
      .given([created, message('m-2', 1, false)])
      .when(ticketEvent('TicketDeleted', 2, { customer_id: 'c-1', tags: ['billing'] }))
      .then((read) => {
        expect(read[TICKETS_COLLECTION]).toEqual([after(2, { deleted: true, message_count: 2, last_message_at: T1 })]);
        expect(read[MESSAGES_COLLECTION].map((m) => [m._id, m.ticket_deleted, m._position])).toEqual([
          ['m-1', true, 12],
          ['m-2', true, 12],
        ]);
      }));

  describe('changes of customers and tags shown on tickets', () => {
    const other = recordedEvent(
      'TicketCreated',
      { ...createdData, ticket_id: 't-2', customer: { ...createdData.customer, id: 'c-2' }, tags: ['vip'], message: null },
      { position: 11 },
    );

    it('follows a customer update on that customer’s tickets only', () =>
      spec
        .given([created, other])
        .when(recordedEvent('CustomerUpdated', { customer_id: 'c-1', workspace_id: 'w-1', changes: { name: 'Janet', phone: '+1' } }, { position: 20 }))
        .then((read) => {
          expect(read[TICKETS_COLLECTION].map((t) => [t._id, (t as TicketDocument).customer.name, t._position])).toEqual([
            ['t-1', 'Janet', 20],
            ['t-2', 'Jane', 11],
          ]);
        }));

    it('ignores a customer update that changes nothing tickets show', () =>
      spec
        .given([created])
        .when(recordedEvent('CustomerUpdated', { customer_id: 'c-1', workspace_id: 'w-1', changes: { phone: '+1' } }, { position: 20 }))
        .thenNothingChanges());

    it('replaces an erased customer by a placeholder', () =>
      spec
        .given([created])
        .when(recordedEvent('CustomerDeleted', { customer_id: 'c-1', workspace_id: 'w-1', requested_by: { type: 'admin', id: null } }, { position: 20 }))
        .then({ [TICKETS_COLLECTION]: [{ ...ticket, _position: 20, customer: { id: 'c-1', name: null, email: null, company: null, erased: true } }] }));

    it('renames a tag in place on every ticket that carries it, once', () =>
      spec
        .given([created, other, ticketEvent('TicketTagsChanged', 1, { tags: ['billing', 'x', 'vip'], added: ['x', 'vip'], removed: [] })])
        .when(recordedEvent('TagUpdated', { tag_id: 'g-1', workspace_id: 'w-1', changes: { name: 'vip' }, previous_name: 'billing' }, { position: 20 }))
        .then((read) => {
          expect(read[TICKETS_COLLECTION].map((t) => [t._id, (t as TicketDocument).tags, t._position])).toEqual([
            ['t-1', ['vip', 'x'], 20],
            ['t-2', ['vip'], 11],
          ]);
        }));

    it('ignores a tag update that keeps the name', () =>
      spec
        .given([created])
        .when(recordedEvent('TagUpdated', { tag_id: 'g-1', workspace_id: 'w-1', changes: { color: '#000000' }, previous_name: 'billing' }, { position: 20 }))
        .thenNothingChanges());

    it('removes a deleted tag from tickets', () =>
      spec
        .given([created, other])
        .when(recordedEvent('TagDeleted', { tag_id: 'g-1', workspace_id: 'w-1', name: 'billing' }, { position: 20 }))
        .then({ [TICKETS_COLLECTION]: [{ ...ticket, _position: 20, tags: [] }, expect.objectContaining({ _id: 't-2', tags: ['vip'] })] }));
  });

  it('is idempotent: replaying every event again changes nothing', async () => {
    const run = async (events: RecordedEvent[]) => {
      const store = new MemoryReadStore();
      for (const event of events) await ticketsProjection.apply(event, { collection: (name) => store.collection(name) });
      return store;
    };
    const events = [created, message('m-2', 1, false)];
    const once = await run(events);
    const twice = await run([...events, ...events]);
    expect(await twice.collection(TICKETS_COLLECTION).find({})).toEqual(await once.collection(TICKETS_COLLECTION).find({}));
    expect(await twice.collection(MESSAGES_COLLECTION).count({})).toBe(2);
  });

  it("evolveTicketDocument folds a ticket's own events into exactly the document the projection writes", async () => {
    const events = [
      created,
      message('m-2', 1, false),
      message('n-1', 2, true),
      ticketEvent('TicketStatusChanged', 3, { status: 'open', previous_status: 'new' }),
      ticketEvent('TicketPriorityChanged', 4, { priority: 'low', previous_priority: 'urgent' }),
      ticketEvent('TicketAssigned', 5, { assignee_id: 'u-1', previous_assignee_id: null }),
      ticketEvent('TicketTagsChanged', 6, { tags: ['vip'], added: ['vip'], removed: [] }),
      ticketEvent('TicketSubjectChanged', 7, { subject: 'New', previous_subject: 'Cannot log in' }),
      ticketEvent('TicketCustomFieldsChanged', 8, { custom_fields: { plan: 'pro' }, changed: ['plan'] }),
      ticketEvent('TicketUnassigned', 9, { previous_assignee_id: 'u-1' }),
      ticketEvent('TicketMerged', 10, { into_ticket_id: 't-2', status: 'closed', previous_status: 'open' }),
    ];
    await spec
      .given([])
      .when(...events)
      .then((read) => {
        const folded = events.reduce<TicketDocument | null>((doc, e) => evolveTicketDocument(doc, e as RecordedTicketEvent), null);
        expect(read[TICKETS_COLLECTION]).toEqual([folded]);
      });
  });
});
