import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandContext } from '@ledgerdesk/shared';
import {
  CreateWorkspaceCommand,
  GetWorkspaceQuery,
  IssueApiKeyCommand,
  ListWorkspacesQuery,
  RevokeApiKeyCommand,
  UpdateWorkspaceCommand,
} from '@ledgerdesk/workspaces';
import { CredentialsService } from '../auth/credentials.service';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { CreateWorkspaceDto } from './dto/create-workspace.dto';
import { UpdateWorkspaceDto } from './dto/update-workspace.dto';
import { NoBody } from '../http/no-body.pipe';

const uuid = new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, 'Workspace not found') });

@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/workspaces')
export class WorkspacesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly credentials: CredentialsService,
  ) {}

  @Post()
  async create(@Body() body: CreateWorkspaceDto, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.commands.execute(new CreateWorkspaceCommand(body.name, ctx));
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.workspace };
  }

  @Get()
  list(@Query() query: PageQueryDto) {
    return this.queries.execute(new ListWorkspacesQuery(query.limit, query.cursor));
  }

  @Get(':id')
  async get(@Param('id', uuid) id: string) {
    return { data: await this.queries.execute(new GetWorkspaceQuery(id)) };
  }

  @Patch(':id')
  async update(@Param('id', uuid) id: string, @Body() body: UpdateWorkspaceDto, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.queries.execute(new GetWorkspaceQuery(id)); // 404 before anything is written
    const result = await this.commands.execute(new UpdateWorkspaceCommand(id, { name: body.name, subscriptionStatus: body.subscription_status }, ctx));
    sendLogPosition(reply, result.position);
    await this.credentials.afterCredentialChange(result.position); // 402 from the next request on
    const current = await this.queries.execute(new GetWorkspaceQuery(id));
    // Built from the request, so the answer does not wait for the projection.
    return {
      data: {
        ...current,
        ...(body.name !== undefined && { name: body.name }),
        ...(body.subscription_status !== undefined && { subscription_status: body.subscription_status }),
      },
    };
  }

  @Post(':id/api-keys')
  async issueKey(@Param('id', uuid) id: string, @NoBody() _body: undefined, @Ctx() ctx: CommandContext, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.commands.execute(new IssueApiKeyCommand(id, ctx));
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.apiKey };
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  async revokeKey(
    @NoBody() _body: undefined,
    @Param('id', uuid) id: string,
    @Param('keyId') keyId: string,
    @Ctx() ctx: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.commands.execute(new RevokeApiKeyCommand(id, keyId, ctx));
    sendLogPosition(reply, result.position);
    await this.credentials.afterCredentialChange(result.position); // 401 from the next request on
  }
}
