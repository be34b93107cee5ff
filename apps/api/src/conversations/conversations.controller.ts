import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, IsUUID, Length } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { ConversationsService } from '@ledgerdesk/tickets';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { OptionalNonNull } from '../http/dto/optional-non-null.decorator';

const booleanFlag = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class CreateConversationDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  ticket_id!: string;

  @ApiProperty({ minLength: 1, maxLength: 20000 })
  @IsString()
  @Length(1, 20000)
  content!: string;

  @ApiProperty({ enum: ['reply', 'note'] })
  @IsIn(['reply', 'note'])
  type!: 'reply' | 'note';

  @ApiPropertyOptional({ description: 'true makes the entry an internal note whatever its type' })
  @OptionalNonNull()
  @IsBoolean()
  internal?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'The agent (user) writing it' })
  @OptionalNonNull()
  @IsUUID()
  author_id?: string;
}

export class ListConversationsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @OptionalNonNull()
  @IsUUID()
  ticket_id?: string;

  @ApiPropertyOptional({ enum: ['reply', 'note', 'system'] })
  @OptionalNonNull()
  @IsIn(['reply', 'note', 'system'])
  type?: 'reply' | 'note' | 'system';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @OptionalNonNull()
  @Transform(booleanFlag)
  @IsIn([true, false], { message: 'internal must be true or false' })
  internal?: boolean;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc', description: 'Oldest first by default' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'asc';
}

@ApiTags('conversations')
@ApiBearerAuth()
@Controller('api/v1/conversations')
export class ConversationsController {
  constructor(
    private readonly conversations: ConversationsService,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  async create(@Body() body: CreateConversationDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    if (body.type === 'note' && body.internal === false) {
      throw new ApiError(400, 'A note is always internal', { internal: ['must not be false for type note'] });
    }
    const result = await this.conversations.create(
      workspaceIdOf(req),
      { ticketId: body.ticket_id, content: body.content, type: body.type, internal: body.internal ?? false, authorId: body.author_id ?? null },
      ctx,
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.entry };
  }

  @Get()
  list(@Query() q: ListConversationsQueryDto, @Req() req: FastifyRequest) {
    return this.conversations.list(workspaceIdOf(req), {
      ticketId: q.ticket_id,
      type: q.type,
      internal: q.internal,
      orderDir: q.order_dir,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @Get(':id')
  async get(@Param('id', idPipe('Conversation')) id: string, @Req() req: FastifyRequest) {
    return { data: await this.conversations.get(workspaceIdOf(req), id) };
  }
}
