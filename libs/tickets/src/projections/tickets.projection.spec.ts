import type { RecordedEvent } from '@ledgerdesk/event-store';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import { ticketsProjection } from './tickets.projection';
import { evolveTicketDocument, MESSAGES_COLLECTION, TICKETS_COLLECTION, type TicketDocument } from './ticket.read-model';

const metadata = (at: string) => ({
  workspace_id: 'w-1',
  actor: { type: 'api_key' as const, id: 'k-1' },
  request_id: 'r-1',
  correlation_id: 'r-1',
  causation_id: 'r-1',
  occurred_at: at,
  schema_version: 1,
});

const created: RecordedEvent = {
  id: 'e-1',
  streamId: 'ticket-t-1',
  type: 'TicketCreated',
  revision: 0,
  position: 10,
  createdAt: '2026-05-04T10:00:00.000Z',
  metadata: metadata('2026-05-04T10:00:00.000Z'),
  data: {
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
    tags: [],
    custom_fields: {},
    ticket_token_hash: null,
    message: { message_id: 'm-1', author_type: 'customer', author_id: 'c-1', body: 'Loop', internal: false, external_id: null },
  },
};

const message = (id: string, position: number, revision: number, internal: boolean): RecordedEvent => ({
  id: `e-${id}`,
  streamId: 'ticket-t-1',
  type: 'MessageAppended',
  revision,
  position,
  createdAt: '2026-05-04T10:05:00.000Z',
  metadata: metadata('2026-05-04T10:05:00.000Z'),
  data: { ticket_id: 't-1', message_id: id, author_type: 'agent', author_id: null, body: 'x', internal, external_id: null },
});

describe('tickets projection', () => {
  const run = async (events: RecordedEvent[]) => {
    const store = new MemoryReadStore();
    const target = { collection: (name: string) => store.collection(name) };
    for (const event of events) await ticketsProjection.apply(event, target as never);
    return store;
  };

  it('builds the ticket and counts public messages only', async () => {
    const store = await run([created, message('m-2', 11, 1, false), message('n-1', 12, 2, true)]);
    const ticket = await store.collection(TICKETS_COLLECTION).findOne({ _id: 't-1' });
    expect(ticket).toMatchObject({ message_count: 2, version: 2, priority_rank: 4, last_message_at: '2026-05-04T10:05:00.000Z' });
    const notes = await store.collection(MESSAGES_COLLECTION).find({ ticket_id: 't-1', internal: true });
    expect(notes.map((n) => n.type)).toEqual(['note']);
  });

  it('is idempotent: replaying every event again changes nothing', async () => {
    const events = [created, message('m-2', 11, 1, false)];
    const once = await run(events);
    const twice = await run([...events, ...events]);
    expect(await twice.collection(TICKETS_COLLECTION).find({})).toEqual(await once.collection(TICKETS_COLLECTION).find({}));
    expect(await twice.collection(MESSAGES_COLLECTION).count({})).toBe(2);
  });

  it("evolveTicketDocument folds a ticket's own events into exactly the document the projection writes", async () => {
    const at = '2026-05-04T11:00:00.000Z';
    const change = (type: string, revision: number, data: object): RecordedEvent => ({
      id: `e-${revision}`,
      streamId: 'ticket-t-1',
      type,
      revision,
      position: 20 + revision,
      createdAt: at,
      metadata: metadata(at),
      data: { ticket_id: 't-1', ...data },
    });
    const events = [
      created,
      message('m-2', 11, 1, false),
      message('n-1', 12, 2, true),
      change('TicketStatusChanged', 3, { status: 'open', previous_status: 'new' }),
      change('TicketPriorityChanged', 4, { priority: 'low', previous_priority: 'urgent' }),
      change('TicketAssigned', 5, { assignee_id: 'u-1', previous_assignee_id: null }),
      change('TicketTagsChanged', 6, { tags: ['vip'], added: ['vip'], removed: [] }),
      change('TicketSubjectChanged', 7, { subject: 'New', previous_subject: 'Cannot log in' }),
      change('TicketCustomFieldsChanged', 8, { custom_fields: { plan: 'pro' }, changed: ['plan'] }),
      change('TicketUnassigned', 9, { previous_assignee_id: 'u-1' }),
      change('TicketMerged', 10, { into_ticket_id: 't-2', status: 'closed', previous_status: 'open' }),
    ];
    const store = await run(events);
    const projected = await store.collection(TICKETS_COLLECTION).findOne({ _id: 't-1' });
    const folded = events.reduce<TicketDocument | null>(
      (doc, e) => evolveTicketDocument(doc, { type: e.type, data: e.data, revision: e.revision, position: e.position, occurredAt: e.metadata.occurred_at }),
      null,
    );
    expect(folded).toEqual(projected);
  });
});
