import type { PublicInbox } from '../public-contact.view';

/** GET …/contacts/{source_id}/conversations: the session's conversations, newest first. */
export class ListSessionConversationsQuery {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly limit: number;
  readonly cursor?: string;

  constructor(input: { inbox: PublicInbox; sourceId: string; limit: number; cursor?: string }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.limit = input.limit;
    this.cursor = input.cursor;
  }
}
