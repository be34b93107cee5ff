import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateSessionConversationCommand,
  FindContactSessionQuery,
  GetSessionConversationQuery,
  ListSessionConversationsQuery,
  ToggleConversationStatusCommand,
  type ContactSession,
  type ConversationView,
  type SessionConversationResult,
} from '@ledgerdesk/channel';
import type { CommandContext } from '@ledgerdesk/shared';
import { GetCustomerQuery } from '@ledgerdesk/customers';
import { CableHub } from '@ledgerdesk/realtime';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { CreatePublicConversationDto, ToggleTypingDto } from './dto/public-conversation.dto';
import { PublicCtx, PublicIdempotencyKey, publicInboxOf } from './public-request';
import { NoBody } from '../http/no-body.pipe';

/** Client API conversations (API.md section 9): the session's tickets, public messages only. */
@ApiTags('client API')
@ApiParam({ name: 'public_identifier', description: "The inbox's public_identifier (ldp_...)" })
@ApiParam({ name: 'source_id', description: "The contact session's source_id (lds_...)" })
@Controller('public/api/v1/inboxes/:public_identifier/contacts/:source_id/conversations')
export class PublicConversationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly cable: CableHub,
  ) {}

  @Post()
  @PublicIdempotencyKey()
  async create(
    @Body() body: CreatePublicConversationDto,
    @Req() request: FastifyRequest,
    @Param('source_id') sourceId: string,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const message = body.message ? { content: body.message.content, echoId: body.message.echo_id ?? null } : null;
    const result: SessionConversationResult = await this.commands.execute(
      new CreateSessionConversationCommand({ inbox: publicInboxOf(request), sourceId, message, customAttributes: body.custom_attributes ?? null, context }),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.conversation };
  }

  @Get()
  list(@Query() query: PageQueryDto, @Req() request: FastifyRequest, @Param('source_id') sourceId: string) {
    return this.queries.execute(new ListSessionConversationsQuery({ inbox: publicInboxOf(request), sourceId, limit: query.limit, cursor: query.cursor }));
  }

  @Get(':id')
  async get(@Req() request: FastifyRequest, @Param('source_id') sourceId: string, @Param('id') conversationId: string) {
    const conversation: ConversationView = await this.queries.execute(
      new GetSessionConversationQuery({ inbox: publicInboxOf(request), sourceId, conversationId }),
    );
    return { data: conversation };
  }

  /** Resolves the conversation (solved); an already solved one is answered unchanged. */
  @Post(':id/toggle_status')
  @PublicIdempotencyKey()
  @HttpCode(200)
  async toggleStatus(
    @Req() request: FastifyRequest,
    @Param('source_id') sourceId: string,
    @Param('id') conversationId: string,
    @NoBody() _body: undefined,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: SessionConversationResult = await this.commands.execute(
      new ToggleConversationStatusCommand({ inbox: publicInboxOf(request), sourceId, conversationId, context }),
    );
    sendLogPosition(reply, result.position);
    return { data: result.conversation };
  }

  /** Typing is real time only (section 10): validated, checked against the session, never stored. */
  @Post(':id/toggle_typing')
  @PublicIdempotencyKey()
  @HttpCode(204)
  async toggleTyping(@Body() body: ToggleTypingDto, @Req() request: FastifyRequest, @Param('source_id') sourceId: string, @Param('id') conversationId: string) {
    // 404 for a conversation this session may not see, as every other call.
    await this.queries.execute(new GetSessionConversationQuery({ inbox: publicInboxOf(request), sourceId, conversationId }));
    const session: ContactSession | null = await this.queries.execute(new FindContactSessionQuery(sourceId));
    const ticket = session && (await this.cable.ticketFacts(session.workspace_id, conversationId));
    if (!session || !ticket) return;
    const customer: { name: string | null } | null = await this.queries
      .execute(new GetCustomerQuery(session.workspace_id, session.customer_id))
      .catch(() => null);
    // Real time only (API.md section 10): staff see it, nothing is stored.
    await this.cable.publishTyping({
      status: body.typing_status,
      from: 'contact',
      ticket,
      sender: { id: session.customer_id, name: customer?.name ?? null, type: 'contact' },
    });
  }
}
