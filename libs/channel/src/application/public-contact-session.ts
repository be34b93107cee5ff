import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { CustomerState } from '@ledgerdesk/customers';
import { GetInboxHmacTokenQuery } from '@ledgerdesk/inboxes';
import { notFound } from '@ledgerdesk/shared';
import { assertIdentifierVerified, assertSessionIdentity, type ClaimedIdentity } from '../domain/contact-identity';
import type { ContactSession } from './contact-session.view';
import { ContactSessions } from './contact-sessions';
import type { PublicInbox } from './public-contact.view';

/**
 * GET and PATCH /contacts/{source_id}: the session, if it is one of this inbox's, with the
 * identity the request re-asserts checked (401) before anything else is done with it.
 */
@Injectable()
export class PublicContactSession {
  constructor(
    private readonly sessions: ContactSessions,
    private readonly queries: QueryBus,
  ) {}

  async resolve(inbox: PublicInbox, sourceId: string, identity: ClaimedIdentity): Promise<{ session: ContactSession; customer: CustomerState }> {
    const claimsIdentity = identity.identifier !== undefined && identity.identifier !== null;
    const token: string | null = claimsIdentity ? await this.queries.execute(new GetInboxHmacTokenQuery(inbox.inboxId)) : null;
    // Identity (401) before existence (404): a hash that does not verify fails whatever the source_id names.
    assertIdentifierVerified(identity, token);
    const found = await this.sessions.find(sourceId);
    // Another inbox's (or workspace's) session is one this inbox does not know.
    if (!found || found.session.workspace_id !== inbox.workspaceId || found.session.inbox_id !== inbox.inboxId) throw notFound('Contact');
    assertSessionIdentity(identity, { hmacVerified: found.session.hmac_verified, customerIdentifier: found.customer.profile?.identifier ?? null }, token);
    return found;
  }
}
