import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WebhookEndpointsService } from '@ledgerdesk/deliveries';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto';
import { InactiveWebhookPatchGuard } from './inactive-webhook-patch.guard';

const endpointIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, 'Webhook endpoint not found') });
const deliveryIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, 'Delivery not found') });

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookEndpointsService) {}

  @Post()
  async create(
    @Body() body: CreateWebhookEndpointDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.webhooks.create(workspaceIdOf(req), body, ctx);
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.endpoint };
  }

  @Get()
  list(@Query() q: PageQueryDto, @Req() req: FastifyRequest) {
    return this.webhooks.list(workspaceIdOf(req), q.limit, q.cursor);
  }

  @Get(':id')
  async get(@Param('id', endpointIdPipe) id: string, @Req() req: FastifyRequest) {
    return { data: await this.webhooks.get(workspaceIdOf(req), id) };
  }

  @Patch(':id')
  @UseGuards(InactiveWebhookPatchGuard)
  async update(
    @Param('id', endpointIdPipe) id: string,
    @Body() body: UpdateWebhookEndpointDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // An inactive workspace may only disable a webhook: InactiveWebhookPatchGuard.
    const result = await this.webhooks.update(workspaceIdOf(req), id, body, ctx);
    sendLogPosition(reply, result.position);
    return { data: result.endpoint };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id', endpointIdPipe) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.webhooks.delete(workspaceIdOf(req), id, ctx);
    sendLogPosition(reply, result.position);
  }

  @Post(':id/rotate-secret')
  async rotate(
    @Param('id', endpointIdPipe) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.webhooks.rotateSecret(workspaceIdOf(req), id, ctx);
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.endpoint };
  }

  @Get(':id/deliveries')
  deliveries(@Param('id', endpointIdPipe) id: string, @Query() q: PageQueryDto, @Req() req: FastifyRequest) {
    return this.webhooks.deliveries(workspaceIdOf(req), id, q.limit, q.cursor);
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  async retry(@Param('id', endpointIdPipe) id: string, @Param('deliveryId', deliveryIdPipe) deliveryId: string, @Req() req: FastifyRequest) {
    return { data: await this.webhooks.retry(workspaceIdOf(req), id, deliveryId) };
  }
}
