import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { PUBLIC_IDENTIFIER_PREFIX } from '../../domain/inbox.events';
import { INBOXES_COLLECTION, type InboxDocument } from '../../projections/inboxes.projection';
import type { InboxChannelFields } from '../inbox.view';
import { GetInboxByPublicIdentifierQuery, type PublicInbox } from './get-inbox-by-public-identifier.query';

const PUBLIC_IDENTIFIER_PATTERN = new RegExp(`^${PUBLIC_IDENTIFIER_PREFIX}[A-Za-z0-9]{24}$`);

@QueryHandler(GetInboxByPublicIdentifierQuery)
export class GetInboxByPublicIdentifierHandler implements IQueryHandler<GetInboxByPublicIdentifierQuery, PublicInbox | null> {
  constructor(@Inject(READ_STORE) private readonly readStore: ReadStore) {}

  async execute({ publicIdentifier }: GetInboxByPublicIdentifierQuery): Promise<PublicInbox | null> {
    // Anything else names no inbox: no lookup for what the internet sends.
    if (typeof publicIdentifier !== 'string' || !PUBLIC_IDENTIFIER_PATTERN.test(publicIdentifier)) return null;
    const doc = await this.readStore
      .collection<InboxDocument & InboxChannelFields & { deleted?: boolean }>(INBOXES_COLLECTION)
      .findOne({ public_identifier: publicIdentifier });
    if (!doc) return null;
    return {
      id: doc.id,
      workspace_id: doc.workspace_id,
      name: doc.name,
      enabled: doc.enabled,
      ...(doc.deleted !== undefined && { deleted: doc.deleted }),
      hmac_mandatory: doc.hmac_mandatory ?? false,
      allowed_origins: doc.allowed_origins ?? [],
      public_identifier: publicIdentifier,
    };
  }
}
