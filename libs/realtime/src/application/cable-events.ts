import { WebhookPayloads, editedMessageIdOf, messageOf, senderNameOf, ticketIdOfStream } from '@ledgerdesk/deliveries';
import type { EventStore, RecordedEvent } from '@ledgerdesk/event-store';
import { toChannelMessage, type TicketView } from '@ledgerdesk/tickets';
import type { CableEvent, EventFrame, TicketFacts } from '../domain/audience';

/** Ticket events that change its status (the contact's `conversation.status_changed`). */
const STATUS_EVENTS: ReadonlySet<string> = new Set(['TicketStatusChanged', 'TicketReopened', 'TicketMerged']);

/** The inbox an InboxUpdated disables, else null. */
function disabledInboxOf(event: RecordedEvent): string | null {
  if (event.type !== 'InboxUpdated') return null;
  const data = event.data as { inbox_id?: string; changes?: { enabled?: boolean } };
  return data.changes?.enabled === false ? (data.inbox_id ?? null) : null;
}

/** Conversation without messages (API.md section 10). */
const conversationOf = (ticket: TicketView) => ({
  id: ticket.id,
  inbox_id: ticket.inbox_id,
  status: ticket.status,
  created_at: ticket.created_at,
  last_activity_at: ticket.last_message_at ?? ticket.created_at,
});

/** Which audiences' frames to build: what nobody listening would get is never built. */
export interface CableAudiences {
  staff: boolean;
  contact: boolean;
}

export const ALL_AUDIENCES: CableAudiences = { staff: true, contact: true };

/**
 * Builds CableEvents from log events read in order (one builder per reader: the live tail, or
 * one replay), with the webhooks' own payloads for staff (deliveries' WebhookPayloads: the
 * ticket as of the event) and the client API's Message for contacts.
 */
export class CableEventBuilder {
  private readonly payloads: WebhookPayloads;

  constructor(store: EventStore) {
    this.payloads = new WebhookPayloads(store);
  }

  /** Lets the builder follow events it is not asked to build (nobody listens to their workspace). */
  observe(event: RecordedEvent): void {
    this.payloads.observe(event);
  }

  /** The event as `audiences` see it (the frames of the others left null). */
  async build(event: RecordedEvent, audiences: CableAudiences = ALL_AUDIENCES): Promise<CableEvent> {
    this.payloads.observe(event);
    const workspaceId = event.metadata.workspace_id ?? null;
    const erasedCustomerId = event.type === 'CustomerDeleted' ? ((event.data as { customer_id?: string }).customer_id ?? null) : null;
    const base: CableEvent = { position: event.position, workspaceId, staff: null, contact: null, erasedCustomerId, disabledInboxId: disabledInboxOf(event) };
    if (!workspaceId) return base;
    const ticketId = ticketIdOfStream(event.streamId);
    if (!ticketId) {
      if (!audiences.staff) return base;
      const payload = await this.payloads.payloadOf(event);
      return { ...base, staff: payload && { event: payload.type, data: payload.data } };
    }
    const ticket = await this.payloads.ticketAt(event);
    if (!ticket) return base;
    const payload = audiences.staff ? await this.payloads.payloadOf(event, ticket) : null;
    // A contact's edit has no webhook type; staff see it as the ticket changing.
    const staff: EventFrame | null = !audiences.staff
      ? null
      : payload
        ? { event: payload.type, data: payload.data }
        : event.type === 'MessageEdited'
          ? { event: 'ticket.updated', data: { ticket } }
          : null;
    if (!audiences.contact) return { ...base, staff };
    const origin = await this.payloads.originOf(event);
    const facts: TicketFacts = {
      ticket_id: ticket.id,
      workspace_id: workspaceId,
      inbox_id: origin.inboxId,
      customer_id: ticket.customer_id,
      source_id: origin.sourceId,
    };
    const frames = await this.contactFrames(event, ticket);
    return { ...base, staff, contact: frames.length > 0 ? { ticket: facts, frames } : null };
  }

  private async contactFrames(event: RecordedEvent, ticket: TicketView): Promise<EventFrame[]> {
    const frames: EventFrame[] = [];
    if (event.type === 'TicketCreated') frames.push({ event: 'conversation.created', data: conversationOf(ticket) });
    if (STATUS_EVENTS.has(event.type)) frames.push({ event: 'conversation.status_changed', data: conversationOf(ticket) });
    const message = messageOf(event);
    if (message && !message.internal) {
      const raw = (event.type === 'TicketCreated' ? (event.data as { message?: unknown }).message : event.data) as { echo_id?: string | null };
      frames.push({
        event: 'message.created',
        data: toChannelMessage({ ...message, echo_id: raw?.echo_id ?? null, sender_name: senderNameOf(event) }, ticket),
      });
    }
    const editedId = editedMessageIdOf(event);
    if (editedId) {
      const doc = await this.payloads.messageAt(event, editedId);
      if (doc && !doc.internal) frames.push({ event: 'message.updated', data: toChannelMessage(doc, ticket) });
    }
    return frames;
  }
}
