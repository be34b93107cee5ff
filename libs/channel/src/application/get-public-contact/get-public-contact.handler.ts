import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PublicContactSession } from '../public-contact-session';
import { toPublicContact, type PublicContactView } from '../public-contact.view';
import { GetPublicContactQuery } from './get-public-contact.query';

/** The session's contact, from the session's and the customer's streams (the same pubsub_token every time). */
@QueryHandler(GetPublicContactQuery)
export class GetPublicContactHandler implements IQueryHandler<GetPublicContactQuery, PublicContactView> {
  constructor(private readonly contacts: PublicContactSession) {}

  async execute({ inbox, sourceId, identity }: GetPublicContactQuery): Promise<PublicContactView> {
    const { session, customer } = await this.contacts.resolve(inbox, sourceId, identity);
    const profile = customer.profile;
    return toPublicContact(session, { name: profile?.name ?? null, email: profile?.email ?? null, claimed_email: profile?.claimed_email ?? null });
  }
}
