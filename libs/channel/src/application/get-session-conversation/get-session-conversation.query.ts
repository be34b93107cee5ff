import type { PublicInbox } from '../public-contact.view';

/** GET …/contacts/{source_id}/conversations/{id}: 404 for a conversation the session may not see. */
export class GetSessionConversationQuery {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly conversationId: string;

  constructor(input: { inbox: PublicInbox; sourceId: string; conversationId: string }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.conversationId = input.conversationId;
  }
}
