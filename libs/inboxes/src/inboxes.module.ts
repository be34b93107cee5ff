import { Module } from '@nestjs/common';
import { CustomersModule } from '@ledgerdesk/customers';
import { CreateInboxHandler } from './application/create-inbox/create-inbox.handler';
import { GetInboxHandler } from './application/get-inbox/get-inbox.handler';
import { GetInboxByPublicIdentifierHandler } from './application/get-inbox-by-public-identifier/get-inbox-by-public-identifier.handler';
import { GetInboxHmacTokenHandler } from './application/get-inbox-hmac-token/get-inbox-hmac-token.handler';
import { RotateInboxHmacTokenHandler } from './application/rotate-inbox-hmac-token/rotate-inbox-hmac-token.handler';
import { ListInboxesHandler } from './application/list-inboxes/list-inboxes.handler';
import { RevokeInboxKeyHandler } from './application/revoke-inbox-key/revoke-inbox-key.handler';
import { RotateInboxKeyHandler } from './application/rotate-inbox-key/rotate-inbox-key.handler';
import { SubmitIntakeMessageHandler } from './application/submit-intake-message/submit-intake-message.handler';
import { UpdateInboxHandler } from './application/update-inbox/update-inbox.handler';

/** The inboxes context: inboxes, their keys, and intake (create-or-reply by ticket token). */
@Module({
  imports: [CustomersModule],
  providers: [
    CreateInboxHandler,
    UpdateInboxHandler,
    RotateInboxKeyHandler,
    RevokeInboxKeyHandler,
    RotateInboxHmacTokenHandler,
    GetInboxHandler,
    GetInboxHmacTokenHandler,
    GetInboxByPublicIdentifierHandler,
    ListInboxesHandler,
    SubmitIntakeMessageHandler,
  ],
})
export class InboxesModule {}
