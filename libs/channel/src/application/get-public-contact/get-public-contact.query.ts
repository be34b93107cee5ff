import type { ClaimedIdentity } from '../../domain/contact-identity';
import type { PublicInbox } from '../public-contact.view';

/** GET /public/api/v1/inboxes/{public_identifier}/contacts/{source_id}. */
export class GetPublicContactQuery {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly identity: ClaimedIdentity;

  constructor(input: { inbox: PublicInbox; sourceId: string; identity: ClaimedIdentity }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.identity = input.identity;
  }
}
