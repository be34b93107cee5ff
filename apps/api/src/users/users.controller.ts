import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateUserCommand,
  DeleteUserCommand,
  GetUserQuery,
  ListUsersQuery,
  UpdateUserCommand,
  type CreateUserResult,
  type DeleteUserResult,
  type UpdateUserResult,
  type UserView,
} from '@ledgerdesk/users';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { NoBody } from '../http/no-body.pipe';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateUserDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: CreateUserResult = await this.commands.execute(
      new CreateUserCommand(workspaceIdOf(req), { email: body.email, name: body.name, role: body.role ?? 'agent' }, ctx),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.user };
  }

  @Get()
  list(@Query() q: ListUsersQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(new ListUsersQuery(workspaceIdOf(req), { role: q.role, limit: q.limit, cursor: q.cursor }));
  }

  @Get(':id')
  async get(@Param('id', idPipe('User')) id: string, @Req() req: FastifyRequest) {
    return { data: (await this.queries.execute(new GetUserQuery(workspaceIdOf(req), id))) as UserView };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('User')) id: string,
    @Body() body: UpdateUserDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: UpdateUserResult = await this.commands.execute(
      new UpdateUserCommand(workspaceIdOf(req), id, { email: body.email, name: body.name, role: body.role }, ctx),
    );
    sendLogPosition(reply, result.position);
    return { data: result.user };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @NoBody() _body: undefined,
    @Param('id', idPipe('User')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The user's tickets are unassigned by a reactor that follows the log (unassign-deleted-users).
    const deleted: DeleteUserResult = await this.commands.execute(new DeleteUserCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, deleted.position);
  }
}
