import { endsLiveSubscription, endsSubscription, framesFor, typingReaches, type Audience, type CableEvent, type TicketFacts } from './audience';

const W = 'w1';
const session = { source_id: 'lds_a', workspace_id: W, customer_id: 'c1', inbox_id: 'i1', hmac_verified: false };
const contact: Audience = { kind: 'contact', workspaceId: W, session };
const verified: Audience = { kind: 'contact', workspaceId: W, session: { ...session, source_id: 'lds_b', hmac_verified: true } };
const staff: Audience = { kind: 'staff', workspaceId: W, keyId: 'k1' };
const ticket = (over: Partial<TicketFacts> = {}): TicketFacts => ({
  ticket_id: 't1',
  workspace_id: W,
  inbox_id: 'i1',
  customer_id: 'c1',
  source_id: 'lds_a',
  ...over,
});
const message = { event: 'message.created', data: { content: 'hi' } };
const event = (over: Partial<CableEvent> = {}): CableEvent => ({
  position: 7,
  workspaceId: W,
  staff: { event: 'ticket.message.created', data: {} },
  contact: { ticket: ticket(), frames: [message] },
  erasedCustomerId: null,
  disabledInboxId: null,
  ...over,
});

describe('who sees what on /cable', () => {
  it('staff: every event of their workspace that has a webhook name, nothing of another', () => {
    expect(framesFor(staff, event())).toEqual([{ event: 'ticket.message.created', data: {} }]);
    expect(framesFor(staff, event({ workspaceId: 'w2' }))).toEqual([]);
    expect(framesFor(staff, event({ staff: null }))).toEqual([]);
  });

  it('an anonymous session: only tickets created with its own source_id, in its inbox', () => {
    expect(framesFor(contact, event())).toEqual([message]);
    expect(framesFor(contact, event({ contact: { ticket: ticket({ source_id: 'lds_other' }), frames: [message] } }))).toEqual([]);
    expect(framesFor(contact, event({ contact: { ticket: ticket({ inbox_id: 'i2' }), frames: [message] } }))).toEqual([]);
    // The same customer's ticket through another session is not this anonymous session's.
    expect(framesFor(contact, event({ contact: { ticket: ticket({ source_id: null }), frames: [message] } }))).toEqual([]);
  });

  it('a verified session: every ticket of its customer in its inbox, from any device', () => {
    expect(framesFor(verified, event({ contact: { ticket: ticket({ source_id: 'lds_other' }), frames: [message] } }))).toEqual([message]);
    expect(framesFor(verified, event({ contact: { ticket: ticket({ customer_id: 'c2' }), frames: [message] } }))).toEqual([]);
  });

  it('contacts: nothing without contact frames (internal notes are never built into them), nothing of another workspace', () => {
    expect(framesFor(contact, event({ contact: null }))).toEqual([]);
    expect(framesFor(contact, event({ workspaceId: 'w2', contact: { ticket: ticket({ workspace_id: 'w2' }), frames: [message] } }))).toEqual([]);
  });

  it('typing: staff get a contact’s, contacts an agent’s on their own conversations', () => {
    const signal = (from: 'contact' | 'agent', t = ticket()) => ({
      status: 'on' as const,
      from,
      ticket: t,
      sender: { id: null, name: 'x', type: 'user' as const },
    });
    expect(typingReaches(staff, signal('contact'))).toBe(true);
    expect(typingReaches(staff, signal('agent'))).toBe(false);
    expect(typingReaches(contact, signal('agent'))).toBe(true);
    expect(typingReaches(contact, signal('contact'))).toBe(false);
    expect(typingReaches(contact, signal('agent', ticket({ source_id: 'lds_other' })))).toBe(false);
    expect(typingReaches(staff, signal('contact', ticket({ workspace_id: 'w2' })))).toBe(false);
  });

  it('the erasure of its customer ends a contact subscription, not staff', () => {
    expect(endsSubscription(contact, event({ erasedCustomerId: 'c1' }))).toBe(true);
    expect(endsSubscription(contact, event({ erasedCustomerId: 'c2' }))).toBe(false);
    expect(endsSubscription(staff, event({ erasedCustomerId: 'c1' }))).toBe(false);
    expect(endsLiveSubscription(contact, event({ erasedCustomerId: 'c1' }))).toBe(true);
  });

  it('disabling its inbox ends a contact subscription live, not in a replay (it may be enabled again since), and never staff', () => {
    expect(endsLiveSubscription(contact, event({ disabledInboxId: session.inbox_id }))).toBe(true);
    expect(endsSubscription(contact, event({ disabledInboxId: session.inbox_id }))).toBe(false);
    expect(endsLiveSubscription(contact, event({ disabledInboxId: 'another-inbox' }))).toBe(false);
    expect(endsLiveSubscription(staff, event({ disabledInboxId: session.inbox_id }))).toBe(false);
  });
});
