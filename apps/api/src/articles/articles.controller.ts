import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, ValidateIf } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { ARTICLE_STATUSES, ArticlesService, type ArticleStatus } from '@ledgerdesk/articles';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { idPipe, readYourWrite } from '../http/read-your-write';
import { OptionalNonNull } from '../http/dto/optional-non-null.decorator';

export class CreateArticleDto {
  @ApiProperty({ minLength: 1, maxLength: 300 })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 50000 })
  @IsString()
  @Length(1, 50000)
  body!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 64)
  collection_id?: string;

  @ApiPropertyOptional({ enum: ARTICLE_STATUSES, default: 'draft' })
  @OptionalNonNull()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;
}

export class UpdateArticleDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 300 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 300)
  title?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 50000 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 50000)
  body?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64, nullable: true })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsString()
  @Length(1, 64)
  collection_id?: string | null;

  @ApiPropertyOptional({ enum: ARTICLE_STATUSES })
  @OptionalNonNull()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;
}

export class ListArticlesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 64)
  collection_id?: string;

  @ApiPropertyOptional({ enum: ARTICLE_STATUSES })
  @OptionalNonNull()
  @IsIn(ARTICLE_STATUSES)
  status?: ArticleStatus;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of title or body' })
  @OptionalNonNull()
  @IsString()
  @Length(1, 200)
  search?: string;

  @ApiPropertyOptional({ enum: ['created_at', 'updated_at'], default: 'created_at' })
  @OptionalNonNull()
  @IsIn(['created_at', 'updated_at'])
  order_by: 'created_at' | 'updated_at' = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';
}

@ApiTags('articles')
@ApiBearerAuth()
@Controller('api/v1/articles')
export class ArticlesController {
  constructor(
    private readonly articles: ArticlesService,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  async create(@Body() body: CreateArticleDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const workspaceId = workspaceIdOf(req);
    const { id, position } = await this.articles.create(
      workspaceId,
      { title: body.title, body: body.body, collection_id: body.collection_id ?? null, status: body.status ?? 'draft' },
      ctx,
    );
    await readYourWrite(this.consistency, reply, position);
    void reply.status(201);
    return { data: await this.articles.get(workspaceId, id) };
  }

  @Get()
  list(@Query() q: ListArticlesQueryDto, @Req() req: FastifyRequest) {
    return this.articles.list(workspaceIdOf(req), {
      collectionId: q.collection_id,
      status: q.status,
      search: q.search,
      orderBy: q.order_by,
      orderDir: q.order_dir,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @Get(':id')
  async get(@Param('id', idPipe('Article')) id: string, @Req() req: FastifyRequest) {
    return { data: await this.articles.get(workspaceIdOf(req), id) };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Article')) id: string,
    @Body() body: UpdateArticleDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const { position } = await this.articles.update(workspaceId, id, { ...body }, ctx);
    await readYourWrite(this.consistency, reply, position);
    return { data: await this.articles.get(workspaceId, id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', idPipe('Article')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { position } = await this.articles.delete(workspaceIdOf(req), id, ctx);
    await readYourWrite(this.consistency, reply, position);
  }
}
