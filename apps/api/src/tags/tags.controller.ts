import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateTagCommand,
  DeleteTagCommand,
  GetTagQuery,
  ListTagsQuery,
  UpdateTagCommand,
  type CreateTagResult,
  type DeleteTagResult,
  type TagView,
  type UpdateTagResult,
} from '@ledgerdesk/tags';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateTagDto } from './dto/create-tag.dto';
import { ListTagsQueryDto } from './dto/list-tags-query.dto';
import { UpdateTagDto } from './dto/update-tag.dto';
import { NoBody } from '../http/no-body.pipe';

@ApiTags('tags')
@ApiBearerAuth()
@Controller('api/v1/tags')
export class TagsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateTagDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: CreateTagResult = await this.commands.execute(new CreateTagCommand(workspaceIdOf(req), { name: body.name, color: body.color }, ctx));
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.tag };
  }

  @Get()
  list(@Query() q: ListTagsQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(
      new ListTagsQuery(workspaceIdOf(req), { search: q.search, orderBy: q.order_by, orderDir: q.order_dir, limit: q.limit, cursor: q.cursor }),
    );
  }

  @Get(':id')
  async get(@Param('id', idPipe('Tag')) id: string, @Req() req: FastifyRequest) {
    return { data: (await this.queries.execute(new GetTagQuery(workspaceIdOf(req), id))) as TagView };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Tag')) id: string,
    @Body() body: UpdateTagDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: UpdateTagResult = await this.commands.execute(new UpdateTagCommand(workspaceIdOf(req), id, { name: body.name, color: body.color }, ctx));
    sendLogPosition(reply, result.position);
    return { data: result.tag };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @NoBody() _body: undefined,
    @Param('id', idPipe('Tag')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: DeleteTagResult = await this.commands.execute(new DeleteTagCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
  }
}
