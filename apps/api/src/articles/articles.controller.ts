import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateArticleCommand,
  DeleteArticleCommand,
  GetArticleQuery,
  ListArticlesQuery,
  UpdateArticleCommand,
  type ArticleView,
  type CreateArticleResult,
  type DeleteArticleResult,
  type UpdateArticleResult,
} from '@ledgerdesk/articles';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateArticleDto } from './dto/create-article.dto';
import { ListArticlesQueryDto } from './dto/list-articles-query.dto';
import { UpdateArticleDto } from './dto/update-article.dto';
import { NoBody } from '../http/no-body.pipe';

@ApiTags('articles')
@ApiBearerAuth()
@Controller('api/v1/articles')
export class ArticlesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateArticleDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: CreateArticleResult = await this.commands.execute(
      new CreateArticleCommand(
        workspaceIdOf(req),
        { title: body.title, body: body.body, collection_id: body.collection_id ?? null, status: body.status ?? 'draft' },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.article };
  }

  @Get()
  list(@Query() q: ListArticlesQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(
      new ListArticlesQuery(workspaceIdOf(req), {
        collectionId: q.collection_id,
        status: q.status,
        search: q.search,
        orderBy: q.order_by,
        orderDir: q.order_dir,
        limit: q.limit,
        cursor: q.cursor,
      }),
    );
  }

  @Get(':id')
  async get(@Param('id', idPipe('Article')) id: string, @Req() req: FastifyRequest) {
    return { data: (await this.queries.execute(new GetArticleQuery(workspaceIdOf(req), id))) as ArticleView };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Article')) id: string,
    @Body() body: UpdateArticleDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: UpdateArticleResult = await this.commands.execute(new UpdateArticleCommand(workspaceIdOf(req), id, { ...body }, ctx));
    sendLogPosition(reply, result.position);
    return { data: result.article };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @NoBody() _body: undefined,
    @Param('id', idPipe('Article')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: DeleteArticleResult = await this.commands.execute(new DeleteArticleCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
  }
}
