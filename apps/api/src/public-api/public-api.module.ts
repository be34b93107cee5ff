import { Module } from '@nestjs/common';
import { RealtimeModule } from '@ledgerdesk/realtime';
import { PublicApiHooks } from './public-api.hooks';
import { PublicContactsController } from './public-contacts.controller';
import { PublicConversationsController } from './public-conversations.controller';
import { PublicInboxController } from './public-inbox.controller';
import { PublicMessagesController } from './public-messages.controller';

/** The client API (API.md section 9): public, browser-safe, no workspace key. */
@Module({
  imports: [RealtimeModule],
  controllers: [PublicInboxController, PublicContactsController, PublicConversationsController, PublicMessagesController],
  providers: [PublicApiHooks],
  exports: [PublicApiHooks],
})
export class PublicApiModule {}
