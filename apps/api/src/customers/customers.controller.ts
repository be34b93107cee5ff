import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsObject, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { CustomersService } from '@ledgerdesk/customers';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { idPipe, readYourWrite } from '../http/read-your-write';
import { OptionalNonNull } from '../http/dto/optional-non-null.decorator';

const notNull = (_: unknown, value: unknown) => value !== null && value !== undefined;

export class CreateCustomerDto {
  @ApiProperty({ maxLength: 255 })
  @IsEmail()
  @MaxLength(255)
  email!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 40 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  company?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalNonNull()
  @IsObject()
  custom_fields?: Record<string, unknown>;
}

export class UpdateCustomerDto {
  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNonNull()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120, nullable: true })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 120)
  name?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 40, nullable: true })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 40)
  phone?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120, nullable: true })
  @ValidateIf(notNull)
  @IsString()
  @Length(1, 120)
  company?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalNonNull()
  @IsObject()
  custom_fields?: Record<string, unknown>;
}

export class ListCustomersQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(1, 255)
  email?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of name or email' })
  @OptionalNonNull()
  @IsString()
  @Length(1, 200)
  search?: string;

  @ApiPropertyOptional()
  @OptionalNonNull()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ enum: ['created_at', 'updated_at', 'email'], default: 'created_at' })
  @OptionalNonNull()
  @IsIn(['created_at', 'updated_at', 'email'])
  order_by: 'created_at' | 'updated_at' | 'email' = 'created_at';

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @OptionalNonNull()
  @IsIn(['asc', 'desc'])
  order_dir: 'asc' | 'desc' = 'desc';
}

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomersController {
  constructor(
    private readonly customers: CustomersService,
    private readonly consistency: ReadConsistency,
  ) {}

  @Post()
  async create(@Body() body: CreateCustomerDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const workspaceId = workspaceIdOf(req);
    const { id, position } = await this.customers.create(
      workspaceId,
      { email: body.email, name: body.name ?? null, phone: body.phone ?? null, company: body.company ?? null, customFields: body.custom_fields ?? {} },
      ctx,
    );
    await readYourWrite(this.consistency, reply, position);
    void reply.status(201);
    return { data: await this.customers.get(workspaceId, id) };
  }

  @Get()
  list(@Query() q: ListCustomersQueryDto, @Req() req: FastifyRequest) {
    return this.customers.list(workspaceIdOf(req), {
      email: q.email,
      search: q.search,
      phone: q.phone,
      orderBy: q.order_by,
      orderDir: q.order_dir,
      limit: q.limit,
      cursor: q.cursor,
    });
  }

  @Get(':id')
  async get(@Param('id', idPipe('Customer')) id: string, @Req() req: FastifyRequest) {
    return { data: await this.customers.get(workspaceIdOf(req), id) };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Customer')) id: string,
    @Body() body: UpdateCustomerDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const { position } = await this.customers.update(workspaceId, id, { ...body }, ctx);
    await readYourWrite(this.consistency, reply, position);
    return { data: await this.customers.get(workspaceId, id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', idPipe('Customer')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { position } = await this.customers.delete(workspaceIdOf(req), id, ctx);
    await readYourWrite(this.consistency, reply, position);
  }
}
