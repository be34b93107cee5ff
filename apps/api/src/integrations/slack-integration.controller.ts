import { Body, Controller, Delete, Get, HttpCode, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SlackIntegrationService } from '@ledgerdesk/deliveries';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { PutSlackIntegrationDto } from './dto/slack-integration.dto';

@ApiTags('integrations')
@ApiBearerAuth()
@Controller('api/v1/integrations/slack')
export class SlackIntegrationController {
  constructor(private readonly slack: SlackIntegrationService) {}

  @Put()
  async put(@Body() body: PutSlackIntegrationDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.slack.put(workspaceIdOf(req), body, ctx);
    sendLogPosition(reply, result.position);
    return { data: result.integration };
  }

  @Get()
  async get(@Req() req: FastifyRequest) {
    return { data: await this.slack.get(workspaceIdOf(req)) };
  }

  @Delete()
  @HttpCode(204)
  async remove(@Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.slack.remove(workspaceIdOf(req), ctx);
    sendLogPosition(reply, result.position);
  }
}
