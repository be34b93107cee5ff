import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CreateSessionMessageCommand, EditSessionMessageCommand, ListSessionMessagesQuery, type SessionMessageResult } from '@ledgerdesk/channel';
import type { CommandContext } from '@ledgerdesk/shared';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { PublicMessageDto, UpdatePublicMessageDto } from './dto/public-conversation.dto';
import { PublicCtx, PublicIdempotencyKey, publicInboxOf } from './public-request';

/** Client API messages (API.md section 9): public messages only, oldest first; a contact edits only its own. */
@ApiTags('client API')
@ApiParam({ name: 'public_identifier', description: "The inbox's public_identifier (ldp_...)" })
@ApiParam({ name: 'source_id', description: "The contact session's source_id (lds_...)" })
@ApiParam({ name: 'id', description: 'The conversation (ticket) id' })
@Controller('public/api/v1/inboxes/:public_identifier/contacts/:source_id/conversations/:id/messages')
export class PublicMessagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  list(@Query() query: PageQueryDto, @Req() request: FastifyRequest, @Param('source_id') sourceId: string, @Param('id') conversationId: string) {
    return this.queries.execute(
      new ListSessionMessagesQuery({ inbox: publicInboxOf(request), sourceId, conversationId, limit: query.limit, cursor: query.cursor }),
    );
  }

  @Post()
  @PublicIdempotencyKey()
  async create(
    @Body() body: PublicMessageDto,
    @Req() request: FastifyRequest,
    @Param('source_id') sourceId: string,
    @Param('id') conversationId: string,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: SessionMessageResult = await this.commands.execute(
      new CreateSessionMessageCommand({
        inbox: publicInboxOf(request),
        sourceId,
        conversationId,
        content: body.content,
        echoId: body.echo_id ?? null,
        context,
      }),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.message };
  }

  @Patch(':message_id')
  async update(
    @Body() body: UpdatePublicMessageDto,
    @Req() request: FastifyRequest,
    @Param('source_id') sourceId: string,
    @Param('id') conversationId: string,
    @Param('message_id') messageId: string,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: SessionMessageResult = await this.commands.execute(
      new EditSessionMessageCommand({ inbox: publicInboxOf(request), sourceId, conversationId, messageId, content: body.content, context }),
    );
    sendLogPosition(reply, result.position);
    return { data: result.message };
  }
}
