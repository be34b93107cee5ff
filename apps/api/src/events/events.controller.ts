import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { readChangeFeed } from '@ledgerdesk/audit';
import { redactErasedCustomers } from '@ledgerdesk/customers';
import { EVENT_STORE, type EventStore } from '@ledgerdesk/event-store';
import { READ_STORE, type ReadStore } from '@ledgerdesk/read-store';
import { workspaceIdOf } from '../auth/principal';
import { ChangeFeedQueryDto } from './dto/change-feed-query.dto';

/**
 * The change feed: the workspace's events in log order, straight from the event store (no
 * projection lag). Items have the shape of GET /tickets/{id}/events; `meta.next_after` is the
 * cursor, also when the page is empty (poll again with it).
 */
@ApiTags('events')
@ApiBearerAuth()
@Controller('api/v1/events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  @Get()
  async feed(@Query() q: ChangeFeedQueryDto, @Req() req: FastifyRequest) {
    const workspaceId = workspaceIdOf(req);
    const page = await readChangeFeed(this.store, {
      workspaceId,
      after: q.after,
      types: q.type,
      stream: q.stream,
      limit: q.limit,
    });
    // An erased customer's personal data is not served again, not even from the history.
    const data = await redactErasedCustomers(this.readStore, workspaceId, page.data);
    return { data, meta: { limit: q.limit, next_after: page.nextAfter, has_more: page.hasMore } };
  }
}
