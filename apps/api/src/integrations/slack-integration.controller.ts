import { Body, Controller, Delete, Get, HttpCode, Put, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  GetSlackIntegrationQuery,
  PutSlackIntegrationCommand,
  RemoveSlackIntegrationCommand,
  type PutSlackIntegrationResult,
  type RemoveSlackIntegrationResult,
  type SlackIntegrationView,
} from '@ledgerdesk/deliveries';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { PutSlackIntegrationDto } from './dto/slack-integration.dto';
import { NoBody } from '../http/no-body.pipe';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('api/v1/integrations/slack')
export class SlackIntegrationController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Put()
  async put(@Body() body: PutSlackIntegrationDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: PutSlackIntegrationResult = await this.commands.execute(
      new PutSlackIntegrationCommand(
        workspaceIdOf(req),
        { botToken: body.bot_token, defaultChannelId: body.default_channel_id, signingSecret: body.signing_secret ?? null },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    return { data: result.integration };
  }

  @Get()
  async get(@Req() req: FastifyRequest) {
    const integration: SlackIntegrationView = await this.queries.execute(new GetSlackIntegrationQuery(workspaceIdOf(req)));
    return { data: integration };
  }

  @Delete()
  @HttpCode(204)
  async remove(@NoBody() _body: undefined, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: RemoveSlackIntegrationResult = await this.commands.execute(new RemoveSlackIntegrationCommand(workspaceIdOf(req), ctx));
    sendLogPosition(reply, result.position);
  }
}
