import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ContactSessions, type OpenedContactSession } from '../contact-sessions';
import { OpenContactSessionCommand } from './open-contact-session.command';

/** Unknown or other workspace's inbox: 400 naming inbox_id; unknown, erased or other workspace's customer: 404. */
@CommandHandler(OpenContactSessionCommand)
export class OpenContactSessionHandler implements ICommandHandler<OpenContactSessionCommand, OpenedContactSession> {
  constructor(private readonly sessions: ContactSessions) {}

  execute({ workspaceId, customerId, inboxId, hmacVerified, context }: OpenContactSessionCommand): Promise<OpenedContactSession> {
    return this.sessions.open({ workspaceId, customerId, inboxId, hmacVerified }, context);
  }
}
