import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CommandContext } from '@ledgerdesk/shared';
import {
  AppendMessageCommand,
  CreateTicketCommand,
  GetTicketEventsQuery,
  GetTicketQuery,
  ListTicketsQuery,
  type AppendMessageResult,
  type CreateTicketResult,
  type TicketHistory,
  type TicketWithMessages,
} from '@ledgerdesk/tickets';
import { workspaceIdOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { AppendMessageDto } from './dto/append-message.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQueryDto } from './dto/list-tickets-query.dto';
import { TicketEventsQueryDto } from './dto/ticket-events-query.dto';

/** A malformed id can name no ticket: 404, like any unknown id. */
export const ticketIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, 'Ticket not found') });

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateTicketDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: CreateTicketResult = await this.commands.execute(
      new CreateTicketCommand(
        workspaceIdOf(req),
        {
          subject: body.subject,
          description: body.description,
          customerEmail: body.customer_email,
          customerName: body.customer_name ?? null,
          priority: body.priority ?? 'medium',
          tags: [...new Set(body.tags ?? [])],
          inboxId: body.inbox_id ?? null,
          assigneeId: body.assignee_id ?? null,
          source: 'api',
          ticketTokenHash: null,
          externalId: null,
        },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.ticket };
  }

  @Get()
  list(@Query() q: ListTicketsQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(
      new ListTicketsQuery(workspaceIdOf(req), {
        status: q.status,
        priority: q.priority,
        assigneeId: q.assignee_id,
        customerId: q.customer_id,
        inboxId: q.inbox_id,
        unassigned: q.unassigned,
        tags: q.tags,
        search: q.search,
        createdAfter: q.created_after,
        createdBefore: q.created_before,
        updatedSince: q.updated_since,
        orderBy: q.order_by,
        orderDir: q.order_dir,
        limit: q.limit,
        cursor: q.cursor,
        includeMerged: q.include_merged,
      }),
    );
  }

  @Get(':id')
  async get(@Param('id', ticketIdPipe) id: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: TicketWithMessages = await this.queries.execute(new GetTicketQuery(workspaceIdOf(req), id));
    void reply.header('ETag', `"${result.version}"`);
    return { data: result.ticket };
  }

  @Post(':id/messages')
  async appendMessage(
    @Param('id', ticketIdPipe) id: string,
    @Body() body: AppendMessageDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: AppendMessageResult = await this.commands.execute(
      new AppendMessageCommand(
        workspaceIdOf(req),
        id,
        { body: body.body, authorType: 'customer', authorId: null, internal: false, externalId: null },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    const { id: messageId, author_type, body: text, created_at } = result.message;
    return { data: { id: messageId, author_type, body: text, created_at } };
  }

  @Get(':id/events')
  async events(@Param('id', ticketIdPipe) id: string, @Query() q: TicketEventsQueryDto, @Req() req: FastifyRequest) {
    const history: TicketHistory = await this.queries.execute(new GetTicketEventsQuery(workspaceIdOf(req), id, q.verify === true));
    return history.verification
      ? { data: history.events, verification: { ok: history.verification.ok, broken_revision: history.verification.brokenRevision, checked: history.verification.checked } }
      : { data: history.events };
  }
}
