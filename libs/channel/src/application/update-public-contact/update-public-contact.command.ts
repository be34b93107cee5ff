import type { CommandContext } from '@ledgerdesk/shared';
import type { ClaimedIdentity } from '../../domain/contact-identity';
import type { PublicContactProfile, PublicInbox } from '../public-contact.view';

/** PATCH /public/api/v1/inboxes/{public_identifier}/contacts/{source_id}: never changes who the session is. */
export class UpdatePublicContactCommand {
  readonly inbox: PublicInbox;
  readonly sourceId: string;
  readonly identity: ClaimedIdentity;
  readonly changes: PublicContactProfile;
  readonly context: CommandContext;

  constructor(input: { inbox: PublicInbox; sourceId: string; identity: ClaimedIdentity; changes: PublicContactProfile; context: CommandContext }) {
    this.inbox = input.inbox;
    this.sourceId = input.sourceId;
    this.identity = input.identity;
    this.changes = input.changes;
    this.context = input.context;
  }
}
