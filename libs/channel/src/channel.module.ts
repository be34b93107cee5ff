import { Module } from '@nestjs/common';
import { CustomersModule } from '@ledgerdesk/customers';
import { ContactSessions } from './application/contact-sessions';
import { PublicContactSession } from './application/public-contact-session';
import { CreateContactHandler } from './application/create-contact/create-contact.handler';
import { CreatePublicContactHandler } from './application/create-public-contact/create-public-contact.handler';
import { FindContactSessionHandler } from './application/find-contact-session/find-contact-session.handler';
import { GetPublicContactHandler } from './application/get-public-contact/get-public-contact.handler';
import { OpenContactSessionHandler } from './application/open-contact-session/open-contact-session.handler';
import { UpdatePublicContactHandler } from './application/update-public-contact/update-public-contact.handler';
import { SessionConversations } from './application/session-conversations';
import { CreateSessionConversationHandler } from './application/create-session-conversation/create-session-conversation.handler';
import { ListSessionConversationsHandler } from './application/list-session-conversations/list-session-conversations.handler';
import { GetSessionConversationHandler } from './application/get-session-conversation/get-session-conversation.handler';
import { ToggleConversationStatusHandler } from './application/toggle-conversation-status/toggle-conversation-status.handler';
import { CreateSessionMessageHandler } from './application/create-session-message/create-session-message.handler';
import { ListSessionMessagesHandler } from './application/list-session-messages/list-session-messages.handler';
import { EditSessionMessageHandler } from './application/edit-session-message/edit-session-message.handler';

/** The ChannelX API channel: contact sessions and the public client API's use cases. */
@Module({
  imports: [CustomersModule],
  providers: [
    ContactSessions,
    PublicContactSession,
    OpenContactSessionHandler,
    FindContactSessionHandler,
    CreateContactHandler,
    CreatePublicContactHandler,
    GetPublicContactHandler,
    UpdatePublicContactHandler,
    SessionConversations,
    CreateSessionConversationHandler,
    ListSessionConversationsHandler,
    GetSessionConversationHandler,
    ToggleConversationStatusHandler,
    CreateSessionMessageHandler,
    ListSessionMessagesHandler,
    EditSessionMessageHandler,
  ],
})
export class ChannelModule {}
