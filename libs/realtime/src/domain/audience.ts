import { sessionSees } from '@ledgerdesk/channel';

/** What a contact's filter needs of a ticket: set by TicketCreated for good. */
export interface TicketFacts {
  ticket_id: string;
  workspace_id: string;
  inbox_id: string | null;
  customer_id: string;
  source_id: string | null;
}

/** The part of a contact session that decides what it sees. */
export interface SessionFacts {
  source_id: string;
  workspace_id: string;
  customer_id: string;
  inbox_id: string;
  hmac_verified: boolean;
}

export type Audience = { kind: 'staff'; workspaceId: string; keyId: string } | { kind: 'contact'; workspaceId: string; session: SessionFacts };

export interface EventFrame {
  event: string;
  data: unknown;
}

/**
 * One log event as real time shows it, built once per event and shared by every subscriber:
 * what staff get (the webhook's name and data, internal notes included), and what a contact of
 * the event's ticket gets (public only), with the ticket's facts for the filter.
 */
export interface CableEvent {
  position: number;
  workspaceId: string | null;
  staff: EventFrame | null;
  contact: { ticket: TicketFacts; frames: EventFrame[] } | null;
  /** A customer erased by this event: its sessions end. */
  erasedCustomerId: string | null;
  /**
   * An inbox disabled by this event: its sessions' live subscriptions end (its client API answers
   * 404). A replay passes it: the inbox may have been enabled again since.
   */
  disabledInboxId: string | null;
}

export interface TypingSignal {
  status: 'on' | 'off';
  /** Who types: a contact (staff see it) or an agent (the ticket's contacts see it). */
  from: 'contact' | 'agent';
  ticket: TicketFacts;
  sender: { id: string | null; name: string | null; type: 'contact' | 'user' };
}

/** Does this session see this ticket (API.md section 9's rule, the same the client API applies)? */
export const contactSeesTicket = (session: SessionFacts, ticket: TicketFacts): boolean =>
  ticket.workspace_id === session.workspace_id && sessionSees(session, ticket);

/** The frames of one event this audience gets (none when it may not see it). */
export function framesFor(audience: Audience, event: CableEvent): EventFrame[] {
  if (event.workspaceId !== audience.workspaceId) return [];
  if (audience.kind === 'staff') return event.staff ? [event.staff] : [];
  if (!event.contact || !contactSeesTicket(audience.session, event.contact.ticket)) return [];
  return event.contact.frames;
}

/** Whether this audience gets a typing signal: staff a contact's, contacts an agent's on their conversations. */
export function typingReaches(audience: Audience, signal: TypingSignal): boolean {
  if (signal.ticket.workspace_id !== audience.workspaceId) return false;
  if (audience.kind === 'staff') return signal.from === 'contact';
  return signal.from === 'agent' && contactSeesTicket(audience.session, signal.ticket);
}

/** Does this event end the audience's subscription, replayed or live (its customer erased)? */
export const endsSubscription = (audience: Audience, event: CableEvent): boolean =>
  audience.kind === 'contact' && event.erasedCustomerId !== null && event.erasedCustomerId === audience.session.customer_id;

/** Does this event, live, end the audience's subscription (its customer erased, or its inbox disabled)? */
export const endsLiveSubscription = (audience: Audience, event: CableEvent): boolean =>
  endsSubscription(audience, event) || (audience.kind === 'contact' && event.disabledInboxId !== null && event.disabledInboxId === audience.session.inbox_id);

export const typingEventName = (status: 'on' | 'off') => (status === 'on' ? 'conversation.typing_on' : 'conversation.typing_off');
