import type { AuthorType } from '../domain/ticket.events';

export type ChannelMessageType = 'incoming' | 'outgoing' | 'activity';
export type SenderType = 'contact' | 'user' | 'system';

/** A message as the API channel shows it (API.md section 8, call 3; sections 9 and 10). */
export interface ChannelMessageView {
  id: string;
  author_type: AuthorType;
  author_id: string | null;
  body: string;
  content: string;
  message_type: ChannelMessageType;
  content_type: 'text';
  content_attributes: Record<string, never>;
  private: false;
  conversation_id: string;
  inbox_id: string | null;
  sender: { id: string | null; name: string | null; type: SenderType };
  echo_id: string | null;
  edited_at: string | null;
  created_at: string;
}

/** The message fields the view needs (a message document, or a message event with its time). */
export interface ChannelMessageSource {
  id: string;
  author_type: AuthorType;
  author_id: string | null;
  body: string;
  echo_id?: string | null;
  edited_at?: string | null;
  sender_name?: string | null;
  created_at: string;
}

/** The ticket fields the view needs: a TicketView or a ticket document. */
export interface ChannelConversationSource {
  id: string;
  inbox_id: string | null;
  customer_id: string;
  customer: { name: string | null };
}

export const messageTypeOf = (authorType: AuthorType): ChannelMessageType =>
  authorType === 'customer' ? 'incoming' : authorType === 'agent' ? 'outgoing' : 'activity';

/**
 * The sender of a message. Customer messages carry no name snapshot: the ticket's customer
 * (which follows renames and erasure) names them; agent messages snapshot the user's or the
 * workspace's name when written.
 */
export function senderOf(
  m: Pick<ChannelMessageSource, 'author_type' | 'author_id' | 'sender_name'>,
  ticket: Pick<ChannelConversationSource, 'customer_id' | 'customer'>,
) {
  switch (m.author_type) {
    case 'customer':
      return { id: m.author_id, name: m.sender_name ?? (m.author_id === ticket.customer_id ? ticket.customer.name : null), type: 'contact' as const };
    case 'agent':
      return { id: m.author_id, name: m.sender_name ?? null, type: 'user' as const };
    default:
      return { id: null, name: m.sender_name ?? null, type: 'system' as const };
  }
}

export function toChannelMessage(m: ChannelMessageSource, ticket: ChannelConversationSource): ChannelMessageView {
  return {
    id: m.id,
    author_type: m.author_type,
    author_id: m.author_id,
    body: m.body,
    content: m.body,
    message_type: messageTypeOf(m.author_type),
    content_type: 'text',
    content_attributes: {},
    private: false,
    conversation_id: ticket.id,
    inbox_id: ticket.inbox_id,
    sender: senderOf(m, ticket),
    echo_id: m.echo_id ?? null,
    edited_at: m.edited_at ?? null,
    created_at: m.created_at,
  };
}
