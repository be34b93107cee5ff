import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateConversationCommand,
  GetConversationQuery,
  ListConversationsQuery,
  type ConversationView,
  type CreateConversationResult,
} from '@ledgerdesk/tickets';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateConversationDto } from './dto/create-conversation.dto';
import { ListConversationsQueryDto } from './dto/list-conversations-query.dto';

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateConversationDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: CreateConversationResult = await this.commands.execute(
      new CreateConversationCommand(
        workspaceIdOf(req),
        { ticketId: body.ticket_id, content: body.content, type: body.type, internal: body.internal ?? false, authorId: body.author_id ?? null },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.entry };
  }

  @Get()
  list(@Query() q: ListConversationsQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(
      new ListConversationsQuery(workspaceIdOf(req), {
        ticketId: q.ticket_id,
        type: q.type,
        internal: q.internal,
        orderDir: q.order_dir,
        limit: q.limit,
        cursor: q.cursor,
      }),
    );
  }

  @Get(':id')
  async get(@Param('id', idPipe('Conversation')) id: string, @Req() req: FastifyRequest) {
    return { data: (await this.queries.execute(new GetConversationQuery(workspaceIdOf(req), id))) as ConversationView };
  }
}
