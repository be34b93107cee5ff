import type { PublicInbox } from '../public-contact.view';

/** GET …/conversations/{id}/messages: public messages, oldest first, with cursors. */
export class ListSessionMessagesQuery {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly conversationId: string;
  readonly limit: number;
  readonly cursor?: string;

  constructor(input: { inbox: PublicInbox; sourceId: string; conversationId: string; limit: number; cursor?: string }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.conversationId = input.conversationId;
    this.limit = input.limit;
    this.cursor = input.cursor;
  }
}
