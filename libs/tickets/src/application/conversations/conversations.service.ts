import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { invalidReference, notFound, type CommandContext } from '@ledgerdesk/shared';
import { keysetPage, type Page } from '@ledgerdesk/read-store';
import { ticketDecider } from '../../domain/ticket.decider';
import { ticketStreamId } from '../../domain/ticket.events';
import { MESSAGES_COLLECTION, type MessageDocument } from '../../projections/ticket.read-model';
import { assertUser } from '../update-ticket/ticket-writes.handlers';

/** A conversation entry (API.md section 5): one message of a ticket, notes included. */
export const toConversationView = (m: MessageDocument) => ({
  id: m.id,
  ticket_id: m.ticket_id,
  type: m.type,
  internal: m.internal,
  author_type: m.author_type,
  author_id: m.author_id,
  content_text: m.body,
  external_id: m.external_id,
  created_at: m.created_at,
});
export type ConversationView = ReturnType<typeof toConversationView>;

export interface NewConversation {
  ticketId: string;
  content: string;
  type: 'reply' | 'note';
  internal: boolean;
  authorId: string | null;
}

export interface ConversationCriteria {
  ticketId?: string;
  type?: 'reply' | 'note' | 'system';
  internal?: boolean;
  orderDir: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

@Injectable()
export class ConversationsService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  /** An agent reply or an internal note; the result is built from the event written. */
  async create(workspaceId: string, input: NewConversation, context: CommandContext): Promise<{ entry: ConversationView; position: number }> {
    // References first (400 naming the field), then the ticket's state (409 when merged).
    const ticket = await this.runner.load(ticketStreamId(input.ticketId), ticketDecider);
    if (!ticket.state.exists || ticket.state.deleted || ticket.state.workspaceId !== workspaceId) throw invalidReference('ticket_id', 'ticket');
    if (input.authorId) await assertUser(this.readStore, workspaceId, input.authorId, 'author_id');
    const internal = input.type === 'note' || input.internal;
    const messageId = randomUUID();
    const outcome = await this.runner.run(
      ticketStreamId(input.ticketId),
      ticketDecider,
      { type: 'AppendMessage', messageId, authorType: 'agent', authorId: input.authorId, body: input.content, internal, externalId: null },
      context,
    );
    return {
      entry: {
        id: messageId,
        ticket_id: input.ticketId,
        type: internal ? 'note' : 'reply',
        internal,
        author_type: 'agent',
        author_id: input.authorId,
        content_text: input.content,
        external_id: null,
        created_at: outcome.events[0]?.metadata.occurred_at ?? context.now,
      },
      position: outcome.position ?? 0,
    };
  }

  async get(workspaceId: string, id: string): Promise<ConversationView> {
    const doc = await this.readStore
      .collection<MessageDocument>(MESSAGES_COLLECTION)
      .findOne({ _id: id, workspace_id: workspaceId, ticket_deleted: { $ne: true } });
    if (!doc) throw notFound('Conversation');
    return toConversationView(doc);
  }

  list(workspaceId: string, c: ConversationCriteria): Promise<Page<ConversationView>> {
    const filter: Record<string, unknown> = c.ticketId
      ? { ticket_id: c.ticketId, workspace_id: workspaceId, ticket_deleted: { $ne: true } }
      : { workspace_id: workspaceId, ticket_deleted: { $ne: true } };
    if (c.type) filter.type = c.type;
    if (c.internal !== undefined) filter.internal = c.internal;
    // Log order: exact even when entries share a timestamp.
    return keysetPage(
      this.readStore.collection<MessageDocument>(MESSAGES_COLLECTION),
      filter,
      { field: 'seq', orderName: 'created_at', direction: c.orderDir === 'asc' ? 1 : -1, limit: c.limit, cursor: c.cursor },
      toConversationView,
    );
  }
}
