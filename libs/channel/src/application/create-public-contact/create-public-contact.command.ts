import type { CommandContext } from '@ledgerdesk/shared';
import type { ClaimedIdentity } from '../../domain/contact-identity';
import type { PublicContactProfile, PublicInbox } from '../public-contact.view';

/** POST /public/api/v1/inboxes/{public_identifier}/contacts: a new session, verified or anonymous. */
export class CreatePublicContactCommand {
  readonly inbox: PublicInbox;
  readonly identity: ClaimedIdentity;
  readonly contact: PublicContactProfile;
  readonly context: CommandContext;

  constructor(input: { inbox: PublicInbox; identity: ClaimedIdentity; contact: PublicContactProfile; context: CommandContext }) {
    this.inbox = input.inbox;
    this.identity = input.identity;
    this.contact = input.contact;
    this.context = input.context;
  }
}
