import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound, type CommandContext } from '@ledgerdesk/shared';
import { CableHub } from '@ledgerdesk/realtime';
import { GetWorkspaceQuery } from '@ledgerdesk/workspaces';
import { FindContactSessionQuery, type ContactSession } from '@ledgerdesk/channel';
import {
  AppendMessageCommand,
  CreateTicketCommand,
  DeleteTicketCommand,
  MergeTicketCommand,
  UpdateTicketCommand,
  type DeleteTicketResult,
  type TicketAfterWrite,
  GetTicketEventsQuery,
  GetTicketQuery,
  ListTicketsQuery,
  type AppendMessageResult,
  type CreateTicketResult,
  type TicketHistory,
  type TicketWithMessages,
  ticketWithMessagesJson,
  type Page,
  type TicketView,
  ticketPageJson,
} from '@ledgerdesk/tickets';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { AppendMessageDto } from './dto/append-message.dto';
import { TypingDto } from './dto/typing.dto';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ListTicketsQueryDto } from './dto/list-tickets-query.dto';
import { TicketEventsQueryDto } from './dto/ticket-events-query.dto';
import { MergeTicketDto, UpdateTicketDto } from './dto/update-ticket.dto';
import { idPipe, parseIfMatch } from '../http/read-your-write';
import { NoBody } from '../http/no-body.pipe';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly cable: CableHub,
  ) {}

  /** An agent typing (API.md section 10): the ticket's contacts see it live; never stored. */
  @Post(':id/typing')
  @HttpCode(204)
  async typing(@Param('id', idPipe('Ticket')) id: string, @Body() body: TypingDto, @Req() req: FastifyRequest) {
    const workspaceId = workspaceIdOf(req);
    const ticket = await this.cable.ticketFacts(workspaceId, id);
    if (!ticket) throw notFound('Ticket');
    const workspace: { name: string } = await this.queries.execute(new GetWorkspaceQuery(workspaceId));
    await this.cable.publishTyping({ status: body.typing_status, from: 'agent', ticket, sender: { id: null, name: workspace.name, type: 'user' } });
  }

  /** The ticket this write left behind (built from the events, not read back after a wait), with its ETag. */
  private answer(result: TicketAfterWrite, reply: FastifyReply) {
    sendLogPosition(reply, result.position);
    void reply.header('ETag', `"${result.version}"`);
    return { data: result.ticket };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Ticket')) id: string,
    @Body() body: UpdateTicketDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const result: TicketAfterWrite = await this.commands.execute(
      new UpdateTicketCommand(
        workspaceId,
        id,
        {
          status: body.status,
          priority: body.priority,
          assigneeId: body.assignee_id,
          tags: body.tags ? [...new Set(body.tags)] : undefined,
          subject: body.subject,
          customFields: body.custom_fields,
        },
        parseIfMatch(ifMatch),
        ctx,
      ),
    );
    return this.answer(result, reply);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @NoBody() _body: undefined,
    @Param('id', idPipe('Ticket')) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: DeleteTicketResult = await this.commands.execute(new DeleteTicketCommand(workspaceIdOf(req), id, parseIfMatch(ifMatch), ctx));
    sendLogPosition(reply, result.position);
  }

  @Post(':id/merge')
  @HttpCode(200)
  async merge(
    @Param('id', idPipe('Ticket')) id: string,
    @Body() body: MergeTicketDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: TicketAfterWrite = await this.commands.execute(new MergeTicketCommand(workspaceIdOf(req), id, body.into_ticket_id, ctx));
    return this.answer(result, reply);
  }

  @Post()
  async create(@Body() body: CreateTicketDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // A contact session (section 8, call 2) is found by its source_id; the use case checks it.
    const session: ContactSession | null | undefined =
      body.source_id === undefined ? undefined : await this.queries.execute(new FindContactSessionQuery(body.source_id));
    const result: CreateTicketResult = await this.commands.execute(
      new CreateTicketCommand(
        workspaceIdOf(req),
        {
          subject: body.subject,
          description: body.description,
          customerEmail: body.customer_email,
          customerName: body.customer_name ?? null,
          session,
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
  async list(@Query() q: ListTicketsQueryDto, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const page: Page<TicketView> = await this.queries.execute(
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
    // Already JSON (the same bytes Fastify's JSON.stringify would send), so the same header too.
    void reply.type('application/json; charset=utf-8');
    return ticketPageJson(page);
  }

  @Get(':id')
  async get(@Param('id', idPipe('Ticket')) id: string, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: TicketWithMessages = await this.queries.execute(new GetTicketQuery(workspaceIdOf(req), id));
    void reply.header('ETag', `"${result.version}"`);
    // Already JSON (the same bytes Fastify's JSON.stringify would send), so the same header too.
    void reply.type('application/json; charset=utf-8');
    return ticketWithMessagesJson(result);
  }

  @Post(':id/messages')
  async appendMessage(
    @Param('id', idPipe('Ticket')) id: string,
    @Body() body: AppendMessageDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: AppendMessageResult = await this.commands.execute(
      new AppendMessageCommand(
        workspaceIdOf(req),
        id,
        {
          body: (body.body ?? body.content) as string,
          messageType: body.message_type ?? 'incoming',
          authorId: body.author_id ?? null,
          internal: false,
          externalId: null,
        },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    // Section 4's fields first, then the API channel's (section 8, call 3).
    const { id: messageId, author_type, body: text, created_at, ...channel } = result.channelMessage;
    return { data: { id: messageId, author_type, body: text, created_at, ...channel } };
  }

  @Get(':id/events')
  async events(@Param('id', idPipe('Ticket')) id: string, @Query() q: TicketEventsQueryDto, @Req() req: FastifyRequest) {
    const history: TicketHistory = await this.queries.execute(new GetTicketEventsQuery(workspaceIdOf(req), id, q.verify === true));
    return history.verification
      ? {
          data: history.events,
          verification: {
            ok: history.verification.ok,
            broken_revision: history.verification.brokenRevision,
            reason: history.verification.reason,
            checked: history.verification.checked,
          },
        }
      : { data: history.events };
  }
}
