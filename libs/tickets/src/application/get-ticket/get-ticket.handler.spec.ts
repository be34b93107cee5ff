import type { RecordedEvent } from '@ledgerdesk/event-store';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import { ticketsProjection } from '../../projections/tickets.projection';
import { GetTicketHandler, ticketWithMessagesJson } from './get-ticket.handler';
import { GetTicketQuery } from './get-ticket.query';

const event = (position: number, type: string, data: Record<string, unknown>): RecordedEvent => ({
  id: `e-${position}`,
  streamId: 'ticket-t-1',
  type,
  revision: position - 1,
  position,
  createdAt: '2026-05-04T10:00:00.000Z',
  metadata: {
    workspace_id: 'w-1',
    actor: { type: 'api_key', id: 'k-1' },
    request_id: 'r-1',
    correlation_id: 'r-1',
    causation_id: 'r-1',
    occurred_at: `2026-05-04T10:0${position}:00.000Z`,
    schema_version: 1,
  },
  data,
});

describe('GetTicketHandler', () => {
  let store: MemoryReadStore;

  beforeEach(async () => {
    store = new MemoryReadStore();
    const target = { collection: (name: string) => store.collection(name) };
    const events = [
      event(1, 'TicketCreated', {
        ticket_id: 't-1',
        workspace_id: 'w-1',
        ticket_number: 1001,
        subject: 'Cannot log in "again" \u2028 ünïcødé',
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
      }),
      event(2, 'MessageAppended', {
        ticket_id: 't-1',
        message_id: 'm-2',
        author_type: 'agent',
        author_id: null,
        body: 'note',
        internal: true,
        external_id: null,
      }),
      event(3, 'MessageAppended', {
        ticket_id: 't-1',
        message_id: 'm-3',
        author_type: 'agent',
        author_id: null,
        body: 'Fixed',
        internal: false,
        external_id: null,
      }),
    ];
    for (const e of events) await ticketsProjection.apply(e, target as never);
  });

  it('answers the ticket with its public messages, oldest first, and JSON byte-identical to JSON.stringify', async () => {
    const read = await new GetTicketHandler(store).execute(new GetTicketQuery('w-1', 't-1'));
    expect(read.messages.map((m) => m.id)).toEqual(['m-1', 'm-3']);
    expect(read.version).toBe(2);
    const json = ticketWithMessagesJson(read);
    expect(json).toBe(JSON.stringify({ data: { ...read.ticket, messages: read.messages } }));
    expect(JSON.parse(json).data).toMatchObject({ id: 't-1', subject: 'Cannot log in "again" \u2028 ünïcødé', tags: ['billing'] });
    // The second read reuses the ticket's cached JSON and still answers the same bytes.
    expect(ticketWithMessagesJson(await new GetTicketHandler(store).execute(new GetTicketQuery('w-1', 't-1')))).toBe(json);
  });

  it("is a 404 for another workspace's ticket", async () => {
    await expect(new GetTicketHandler(store).execute(new GetTicketQuery('w-2', 't-1'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(new GetTicketHandler(store).execute(new GetTicketQuery('w-1', 't-1'))).resolves.toMatchObject({ version: 2 });
  });
});
