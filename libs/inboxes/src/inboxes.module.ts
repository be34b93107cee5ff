import { Module } from '@nestjs/common';
import { CustomersModule } from '@ledgerdesk/customers';
import { CreateInboxHandler } from './application/create-inbox/create-inbox.handler';
import { GetInboxHandler } from './application/get-inbox/get-inbox.handler';
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
    GetInboxHandler,
    ListInboxesHandler,
    SubmitIntakeMessageHandler,
  ],
})
export class InboxesModule {}
