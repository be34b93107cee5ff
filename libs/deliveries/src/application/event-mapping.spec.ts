import type { RecordedEvent } from '@ledgerdesk/event-store';
import { editedMessageIdOf, messageOf, senderNameOf, webhookTypeOf } from './event-mapping';

const TICKET_STREAM = 'ticket-0b0e5c1e-9a43-4c1b-9a57-0d2f3c8e4b10';
const event = (type: string, data: Record<string, unknown>): RecordedEvent =>
  ({
    id: 'e-1',
    type,
    streamId: TICKET_STREAM,
    revision: 1,
    position: 2,
    data,
    metadata: { occurred_at: '2026-05-04T10:00:00.000Z' },
    createdAt: '',
  }) as unknown as RecordedEvent;

describe('event mapping (API.md sections 4, 7, 8)', () => {
  it('makes a reopening a ticket.updated, like any status change', () => {
    expect(webhookTypeOf(event('TicketReopened', { ticket_id: 't', status: 'open', previous_status: 'solved' }))).toBe('ticket.updated');
    expect(webhookTypeOf(event('TicketStatusChanged', { ticket_id: 't', status: 'open', previous_status: 'solved' }))).toBe('ticket.updated');
  });

  it('gives a contact edit no webhook type, only the id of the edited message (for the inbox callback)', () => {
    const edited = event('MessageEdited', { ticket_id: 't', message_id: 'm-1', body: 'b', previous_body: 'a' });
    expect(webhookTypeOf(edited)).toBeNull();
    expect(editedMessageIdOf(edited)).toBe('m-1');
    expect(messageOf(edited)).toBeNull();
  });

  it('announces a ticket created with a message once, at its first message, as ticket.created', () => {
    const first = { ticket_id: 't', message_id: 'm-1', author_type: 'customer', author_id: 'c', body: 'b', internal: false, external_id: null };
    expect(webhookTypeOf(event('TicketCreated', { ticket_id: 't', first_message_id: 'm-1' }))).toBeNull();
    expect(webhookTypeOf(event('MessageAppended', { ...first, opens_ticket: true }))).toBe('ticket.created');
    expect(webhookTypeOf(event('MessageAppended', first))).toBe('ticket.message.created');
    expect(webhookTypeOf(event('TicketCreated', { ticket_id: 't', first_message_id: null }))).toBe('ticket.created');
    expect(webhookTypeOf(event('TicketCreated', { ticket_id: 't', message: first }))).toBe('ticket.created');
  });

  it('finds no first message in a channel ticket created without one', () => {
    expect(messageOf(event('TicketCreated', { ticket_id: 't', message: null }))).toBeNull();
  });

  it("reads an outgoing message's recorded sender name, and none for a customer message", () => {
    const base = { ticket_id: 't', message_id: 'm', author_id: null, body: 'b', internal: false, external_id: null };
    expect(senderNameOf(event('MessageAppended', { ...base, author_type: 'agent', sender_name: 'Acme Support' }))).toBe('Acme Support');
    expect(senderNameOf(event('MessageAppended', { ...base, author_type: 'customer' }))).toBeNull();
  });
});
