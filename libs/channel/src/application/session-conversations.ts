import { Inject, Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { DomainError, notFound } from '@ledgerdesk/shared';
import {
  ListTicketMessagesQuery,
  TICKETS_COLLECTION,
  type ChannelMessageView,
  type ListTicketsCriteria,
  type Page,
  type TicketDocument,
  type TicketStatus,
} from '@ledgerdesk/tickets';
import type { ContactSession } from './contact-session.view';
import { FindContactSessionQuery } from './find-contact-session/find-contact-session.query';
import type { PublicInbox } from './public-contact.view';

/** A conversation as the client API shows it (API.md section 9): public messages only, oldest first. */
export interface ConversationView {
  id: string;
  inbox_id: string | null;
  status: TicketStatus;
  messages: ChannelMessageView[];
  created_at: string;
  last_activity_at: string;
}

/** The ticket fields a conversation needs. */
export type ConversationTicket = Pick<TicketDocument, 'id' | 'inbox_id' | 'status' | 'customer_id' | 'customer' | 'created_at' | 'last_message_at'>;

type SessionTicket = TicketDocument & { source_id?: string | null };

const MESSAGES_PAGE = 100;

/**
 * Which conversations a session sees (API.md section 9): a verified session every ticket of its
 * customer in its inbox, from any device; any other session only the tickets created with its
 * own source_id.
 */
export function sessionSees(
  session: Pick<ContactSession, 'inbox_id' | 'customer_id' | 'source_id' | 'hmac_verified'>,
  ticket: { inbox_id: string | null; customer_id: string; source_id?: string | null },
): boolean {
  if (ticket.inbox_id !== session.inbox_id) return false;
  return session.hmac_verified ? ticket.customer_id === session.customer_id : ticket.source_id === session.source_id;
}

/** The list criteria of the same rule, newest first. */
export function sessionTicketsCriteria(session: ContactSession, page: { limit: number; cursor?: string }): ListTicketsCriteria {
  const scope = session.hmac_verified ? { customerId: session.customer_id, inboxId: session.inbox_id } : { sourceId: session.source_id };
  // Every ticket created with the session is one of its conversations (API.md section 9), a merged one too (closed, still readable).
  return { ...scope, includeMerged: true, orderBy: 'created_at', orderDir: 'desc', limit: page.limit, cursor: page.cursor };
}

export const toConversation = (ticket: ConversationTicket, messages: ChannelMessageView[]): ConversationView => ({
  id: ticket.id,
  inbox_id: ticket.inbox_id,
  status: ticket.status,
  messages,
  created_at: ticket.created_at,
  last_activity_at: ticket.last_message_at ?? ticket.created_at,
});

/** The session and conversation lookups every conversation use case starts with; 404 for what the session may not see. */
@Injectable()
export class SessionConversations {
  constructor(
    private readonly queries: QueryBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  /** The session, if it is one of this inbox's: another inbox's or workspace's is unknown here. */
  async session(inbox: PublicInbox, sourceId: string): Promise<ContactSession> {
    const session: ContactSession | null = await this.queries.execute(new FindContactSessionQuery(sourceId));
    if (!session || session.workspace_id !== inbox.workspaceId || session.inbox_id !== inbox.inboxId) throw notFound('Contact');
    return session;
  }

  /** A ticket the session sees (not deleted), else 404 as for an id that does not exist. */
  async ticket(session: ContactSession, ticketId: string): Promise<SessionTicket> {
    const ticket = await this.visibleTicket(session, ticketId);
    if (!ticket) throw notFound('Conversation');
    return ticket;
  }

  /**
   * A write on one of the session's conversations. A merged conversation's 409 names the one it
   * went into only if the session sees that one too: a contact never learns the id of another
   * customer's conversation.
   */
  async write<T>(session: ContactSession, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const into = error instanceof DomainError && error.code === 'CONFLICT' ? error.details.merged_into_id : undefined;
      if (typeof into !== 'string') throw error;
      if (await this.visibleTicket(session, into)) throw new DomainError('CONFLICT', `Conversation was merged into ${into}`, { merged_into_id: into });
      throw new DomainError('CONFLICT', 'Conversation was merged into another one', { merged_into_id: null });
    }
  }

  private async visibleTicket(session: ContactSession, ticketId: string): Promise<SessionTicket | null> {
    const ticket = await this.readStore
      .collection<SessionTicket>(TICKETS_COLLECTION)
      .findOne({ _id: ticketId, workspace_id: session.workspace_id, deleted: false });
    return ticket && sessionSees(session, ticket) ? ticket : null;
  }

  /** Every public message of a ticket, oldest first. */
  async messages(workspaceId: string, ticketId: string): Promise<ChannelMessageView[]> {
    const messages: ChannelMessageView[] = [];
    let cursor: string | undefined;
    do {
      const page: Page<ChannelMessageView> = await this.queries.execute(new ListTicketMessagesQuery(workspaceId, ticketId, { limit: MESSAGES_PAGE, cursor }));
      messages.push(...page.data);
      cursor = page.meta.next_cursor ?? undefined;
    } while (cursor);
    return messages;
  }

  async conversation(workspaceId: string, ticket: ConversationTicket): Promise<ConversationView> {
    return toConversation(ticket, await this.messages(workspaceId, ticket.id));
  }
}
