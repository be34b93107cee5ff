import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommandBus } from '@nestjs/cqrs';
import { ReadConsistency } from '@ledgerdesk/infrastructure';
import { UnassignDeletedUserCommand, type UnassignDeletedUserResult } from '@ledgerdesk/tickets';
import { USER_ROLES, UsersService, type UserRole } from '@ledgerdesk/users';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { idPipe, readYourWrite } from '../http/read-your-write';
import { OptionalNonNull } from '../http/dto/optional-non-null.decorator';

export class CreateUserDto {
  @ApiProperty({ maxLength: 255 })
  @IsEmail()
  @MaxLength(255)
  email!: string;

  @ApiProperty({ minLength: 1, maxLength: 120 })
  @IsString()
  @Length(1, 120)
  name!: string;

  @ApiPropertyOptional({ enum: USER_ROLES, default: 'agent' })
  @OptionalNonNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ maxLength: 255 })
  @OptionalNonNull()
  @IsEmail()
  @MaxLength(255)
  email?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 120 })
  @OptionalNonNull()
  @IsString()
  @Length(1, 120)
  name?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @OptionalNonNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @OptionalNonNull()
  @IsIn(USER_ROLES)
  role?: UserRole;
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly consistency: ReadConsistency,
    private readonly commands: CommandBus,
  ) {}

  @Post()
  async create(@Body() body: CreateUserDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const workspaceId = workspaceIdOf(req);
    const { id, position } = await this.users.create(workspaceId, { email: body.email, name: body.name, role: body.role ?? 'agent' }, ctx);
    await readYourWrite(this.consistency, reply, position);
    void reply.status(201);
    return { data: await this.users.get(workspaceId, id) };
  }

  @Get()
  list(@Query() q: ListUsersQueryDto, @Req() req: FastifyRequest) {
    return this.users.list(workspaceIdOf(req), { role: q.role, limit: q.limit, cursor: q.cursor });
  }

  @Get(':id')
  async get(@Param('id', idPipe('User')) id: string, @Req() req: FastifyRequest) {
    return { data: await this.users.get(workspaceIdOf(req), id) };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('User')) id: string,
    @Body() body: UpdateUserDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const { position } = await this.users.update(workspaceId, id, { ...body }, ctx);
    await readYourWrite(this.consistency, reply, position);
    return { data: await this.users.get(workspaceId, id) };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', idPipe('User')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const deleted = await this.users.delete(workspaceId, id, ctx);
    const unassigned: UnassignDeletedUserResult = await this.commands.execute(new UnassignDeletedUserCommand(workspaceId, id, ctx));
    await readYourWrite(this.consistency, reply, Math.max(deleted.position ?? 0, unassigned.position ?? 0) || null);
  }
}
