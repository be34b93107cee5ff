import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { TagsService } from '@ledgerdesk/tags';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { idPipe, readYourWrite } from '../http/read-your-write';
import { OptionalNonNull } from '../http/dto/optional-non-null.decorator';

const COLOR = /^#[0-9a-fA-F]{6}$/;

export class CreateTagDto {
  @ApiProperty({ minLength: 1, maxLength: 50 })
  @IsString()
  @Length(1, 50)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ example: '#ff0000', default: '#6b7280' })
  @OptionalNonNull()
  @Matches(COLOR, { message: 'color must be #rrggbb' })
  color?: string;
}

export class UpdateTagDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 50 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 50)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;

  @ApiPropertyOptional({ example: '#ff0000' })
  @OptionalNonNull()
  @Matches(COLOR, { message: 'color must be #rrggbb' })
  color?: string;
}

export class ListTagsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(1, 50)
  search?: string;

  @ApiPropertyOptional({ enum: ['created_at', 'name'], default: 'created_at' })
  @OptionalNonNull()
  @IsIn(['created_at', 'name'])
  order_by: 'created_at' | 'name' = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';
}

@ApiTags('tags')
@ApiBearerAuth()
@Controller('api/v1/tags')
export class TagsController {
  constructor(
    private readonly tags: TagsService,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  async create(@Body() body: CreateTagDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const workspaceId = workspaceIdOf(req);
    const { id, position } = await this.tags.create(workspaceId, body, ctx);
    await readYourWrite(this.consistency, reply, position);
    void reply.status(201);
    return { data: await this.tags.get(workspaceId, id) };
  }

  @Get()
  list(@Query() q: ListTagsQueryDto, @Req() req: FastifyRequest) {
    return this.tags.list(workspaceIdOf(req), { search: q.search, orderBy: q.order_by, orderDir: q.order_dir, limit: q.limit, cursor: q.cursor });
  }

  @Get(':id')
  async get(@Param('id', idPipe('Tag')) id: string, @Req() req: FastifyRequest) {
    return { data: await this.tags.get(workspaceIdOf(req), id) };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Tag')) id: string,
    @Body() body: UpdateTagDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const { position } = await this.tags.update(workspaceId, id, body, ctx);
    await readYourWrite(this.consistency, reply, position);
    return { data: await this.tags.get(workspaceId, id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', idPipe('Tag')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { position } = await this.tags.delete(workspaceIdOf(req), id, ctx);
    await readYourWrite(this.consistency, reply, position);
  }
}
