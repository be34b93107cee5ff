import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  CreateSessionConversationCommand,
  GetSessionConversationQuery,
  ListSessionConversationsQuery,
  ToggleConversationStatusCommand,
  type ConversationView,
  type PublicInbox,
  type SessionConversationResult,
} from '@ledgerdesk/channel';
import type { CommandContext } from '@ledgerdesk/shared';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { CreatePublicConversationDto, ToggleTypingDto } from './dto/public-conversation.dto';
import { PublicCtx, PublicIdempotencyKey, PublicInboxParam } from './public-request';

/** Client API conversations (API.md section 9): the session's tickets, public messages only. */
@ApiTags('client API')
@ApiParam({ name: 'public_identifier', description: "The inbox's public_identifier (ldp_...)" })
@ApiParam({ name: 'source_id', description: "The contact session's source_id (lds_...)" })
@Controller('public/api/v1/inboxes/:public_identifier/contacts/:source_id/conversations')
export class PublicConversationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @PublicIdempotencyKey()
  async create(
    @Body() body: CreatePublicConversationDto,
    @PublicInboxParam() inbox: PublicInbox,
    @Param('source_id') sourceId: string,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const message = body.message ? { content: body.message.content, echoId: body.message.echo_id ?? null } : null;
    const result: SessionConversationResult = await this.commands.execute(
      new CreateSessionConversationCommand({ inbox, sourceId, message, customAttributes: body.custom_attributes ?? null, context }),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.conversation };
  }

  @Get()
  list(@Query() query: PageQueryDto, @PublicInboxParam() inbox: PublicInbox, @Param('source_id') sourceId: string) {
    return this.queries.execute(new ListSessionConversationsQuery({ inbox, sourceId, limit: query.limit, cursor: query.cursor }));
  }

  @Get(':id')
  async get(@PublicInboxParam() inbox: PublicInbox, @Param('source_id') sourceId: string, @Param('id') conversationId: string) {
    const conversation: ConversationView = await this.queries.execute(new GetSessionConversationQuery({ inbox, sourceId, conversationId }));
    return { data: conversation };
  }

  /** Resolves the conversation (solved); an already solved one is answered unchanged. */
  @Post(':id/toggle_status')
  @PublicIdempotencyKey()
  @HttpCode(200)
  async toggleStatus(
    @PublicInboxParam() inbox: PublicInbox,
    @Param('source_id') sourceId: string,
    @Param('id') conversationId: string,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: SessionConversationResult = await this.commands.execute(new ToggleConversationStatusCommand({ inbox, sourceId, conversationId, context }));
    sendLogPosition(reply, result.position);
    return { data: result.conversation };
  }

  /** Typing is real time only (section 10): validated, checked against the session, never stored. */
  @Post(':id/toggle_typing')
  @PublicIdempotencyKey()
  @HttpCode(204)
  async toggleTyping(
    @Body() _body: ToggleTypingDto,
    @PublicInboxParam() inbox: PublicInbox,
    @Param('source_id') sourceId: string,
    @Param('id') conversationId: string,
  ) {
    await this.queries.execute(new GetSessionConversationQuery({ inbox, sourceId, conversationId }));
  }
}
