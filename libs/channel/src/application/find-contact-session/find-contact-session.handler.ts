import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ContactSession } from '../contact-session.view';
import { ContactSessions } from '../contact-sessions';
import { FindContactSessionQuery } from './find-contact-session.query';

@QueryHandler(FindContactSessionQuery)
export class FindContactSessionHandler implements IQueryHandler<FindContactSessionQuery, ContactSession | null> {
  constructor(private readonly sessions: ContactSessions) {}

  async execute({ sourceId }: FindContactSessionQuery): Promise<ContactSession | null> {
    return (await this.sessions.find(sourceId))?.session ?? null;
  }
}
