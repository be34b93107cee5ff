import type { QueryBus } from '@nestjs/cqrs';
import { MemoryReadStore } from '@ledgerdesk/read-store';
import { DomainError } from '@ledgerdesk/shared';
import { TICKETS_COLLECTION } from '@ledgerdesk/tickets';
import type { ContactSession } from './contact-session.view';
import { SessionConversations, sessionSees, sessionTicketsCriteria, toConversation } from './session-conversations';

const session = (hmacVerified: boolean): ContactSession => ({
  source_id: 'lds_mine',
  workspace_id: 'w-1',
  customer_id: 'c-1',
  inbox_id: 'i-1',
  hmac_verified: hmacVerified,
  pubsub_token: 'p',
  created_at: '2026-05-04T10:00:00.000Z',
});

describe('which conversations a contact session sees (API.md section 9)', () => {
  it('an anonymous session: only the tickets created with its own source_id', () => {
    expect(sessionSees(session(false), { inbox_id: 'i-1', customer_id: 'c-1', source_id: 'lds_mine' })).toBe(true);
    // the same customer's ticket from another session (or none) is not its
    expect(sessionSees(session(false), { inbox_id: 'i-1', customer_id: 'c-1', source_id: 'lds_other' })).toBe(false);
    expect(sessionSees(session(false), { inbox_id: 'i-1', customer_id: 'c-1', source_id: null })).toBe(false);
    expect(sessionTicketsCriteria(session(false), { limit: 5 })).toEqual({
      sourceId: 'lds_mine',
      includeMerged: true,
      orderBy: 'created_at',
      orderDir: 'desc',
      limit: 5,
      cursor: undefined,
    });
  });

  it("a verified session: every ticket of its customer in its inbox, whichever device created it; never another inbox's", () => {
    expect(sessionSees(session(true), { inbox_id: 'i-1', customer_id: 'c-1', source_id: 'lds_other_device' })).toBe(true);
    expect(sessionSees(session(true), { inbox_id: 'i-1', customer_id: 'c-2', source_id: 'lds_mine' })).toBe(false);
    expect(sessionSees(session(true), { inbox_id: 'i-2', customer_id: 'c-1', source_id: 'lds_mine' })).toBe(false);
    expect(sessionTicketsCriteria(session(true), { limit: 20, cursor: 'x' })).toEqual({
      customerId: 'c-1',
      inboxId: 'i-1',
      includeMerged: true,
      orderBy: 'created_at',
      orderDir: 'desc',
      limit: 20,
      cursor: 'x',
    });
  });

  it('a conversation without messages has been active since it was created', () => {
    const ticket = {
      id: 't',
      inbox_id: 'i-1',
      status: 'new' as const,
      customer_id: 'c-1',
      customer: { id: 'c-1', name: null, email: null, company: null },
      created_at: 'T0',
      last_message_at: null,
    };
    expect(toConversation(ticket as unknown as Parameters<typeof toConversation>[0], [])).toEqual({
      id: 't',
      inbox_id: 'i-1',
      status: 'new',
      messages: [],
      created_at: 'T0',
      last_activity_at: 'T0',
    });
  });
});

describe('a write on one of the session’s conversations (SessionConversations.write)', () => {
  const ticket = (id: string, sourceId: string) => ({
    _id: id,
    _position: 1,
    id,
    workspace_id: 'w-1',
    deleted: false,
    inbox_id: 'i-1',
    customer_id: 'c-1',
    source_id: sourceId,
  });
  const mergedInto = (into: string) => () => Promise.reject(new DomainError('CONFLICT', `Ticket was merged into ${into}`, { merged_into_id: into }));
  let conversations: SessionConversations;

  beforeAll(async () => {
    const store = new MemoryReadStore();
    await store.collection(TICKETS_COLLECTION).put(ticket('t-mine', 'lds_mine') as never);
    await store.collection(TICKETS_COLLECTION).put(ticket('t-theirs', 'lds_other') as never);
    // The query bus is not used by writes.
    conversations = new SessionConversations({} as QueryBus, store);
  });

  it('a merged conversation’s 409 names the one it went into when the session sees it', async () => {
    await expect(conversations.write(session(false), mergedInto('t-mine'))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'Conversation was merged into t-mine',
      details: { merged_into_id: 't-mine' },
    });
  });

  it('and never another customer’s (or another session’s) conversation', async () => {
    const refused = await conversations.write(session(false), mergedInto('t-theirs')).catch((error: DomainError) => error);
    expect(refused).toMatchObject({ code: 'CONFLICT', details: { merged_into_id: null } });
    expect(JSON.stringify({ message: (refused as DomainError).message, details: (refused as DomainError).details })).not.toContain('t-theirs');
  });

  it('passes answers and other errors through', async () => {
    await expect(conversations.write(session(false), async () => 'written')).resolves.toBe('written');
    const other = new DomainError('FORBIDDEN', 'Not your message');
    await expect(conversations.write(session(false), () => Promise.reject(other))).rejects.toBe(other);
  });
});
