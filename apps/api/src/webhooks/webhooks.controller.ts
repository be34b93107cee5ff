import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateWebhookEndpointCommand,
  DeleteWebhookEndpointCommand,
  GetWebhookEndpointQuery,
  ListWebhookDeliveriesQuery,
  ListWebhookEndpointsQuery,
  RetryWebhookDeliveryCommand,
  RotateWebhookSecretCommand,
  UpdateWebhookEndpointCommand,
  type CreateWebhookEndpointResult,
  type DeleteWebhookEndpointResult,
  type RetryWebhookDeliveryResult,
  type RotateWebhookSecretResult,
  type UpdateWebhookEndpointResult,
  type WebhookDeliveryPage,
  type WebhookEndpointChanges,
  type WebhookEndpointPage,
  type WebhookEndpointView,
} from '@ledgerdesk/deliveries';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateWebhookEndpointDto, UpdateWebhookEndpointDto } from './dto/webhook-endpoint.dto';
import { InactiveWebhookPatchGuard } from './inactive-webhook-patch.guard';
import { NoBody } from '../http/no-body.pipe';

const endpointIdPipe = idPipe('Webhook endpoint');
const deliveryIdPipe = idPipe('Delivery');

@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(
    @Body() body: CreateWebhookEndpointDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: CreateWebhookEndpointResult = await this.commands.execute(
      new CreateWebhookEndpointCommand(
        workspaceIdOf(req),
        { url: body.url, events: body.events, include_internal: body.include_internal, enabled: body.enabled, description: body.description },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.endpoint };
  }

  @Get()
  async list(@Query() q: PageQueryDto, @Req() req: FastifyRequest): Promise<WebhookEndpointPage> {
    return this.queries.execute(new ListWebhookEndpointsQuery(workspaceIdOf(req), q.limit, q.cursor));
  }

  @Get(':id')
  async get(@Param('id', endpointIdPipe) id: string, @Req() req: FastifyRequest) {
    const endpoint: WebhookEndpointView = await this.queries.execute(new GetWebhookEndpointQuery(workspaceIdOf(req), id));
    return { data: endpoint };
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
    const changes: WebhookEndpointChanges = {};
    if (body.url !== undefined) changes.url = body.url;
    if (body.events !== undefined) changes.events = body.events;
    if (body.include_internal !== undefined) changes.include_internal = body.include_internal;
    if (body.enabled !== undefined) changes.enabled = body.enabled;
    if (body.description !== undefined) changes.description = body.description;
    const result: UpdateWebhookEndpointResult = await this.commands.execute(new UpdateWebhookEndpointCommand(workspaceIdOf(req), id, changes, ctx));
    sendLogPosition(reply, result.position);
    return { data: result.endpoint };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @NoBody() _body: undefined,
    @Param('id', endpointIdPipe) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: DeleteWebhookEndpointResult = await this.commands.execute(new DeleteWebhookEndpointCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
  }

  @Post(':id/rotate-secret')
  async rotate(
    @Param('id', endpointIdPipe) id: string,
    @NoBody() _body: undefined,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: RotateWebhookSecretResult = await this.commands.execute(new RotateWebhookSecretCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.endpoint };
  }

  @Get(':id/deliveries')
  async deliveries(@Param('id', endpointIdPipe) id: string, @Query() q: PageQueryDto, @Req() req: FastifyRequest): Promise<WebhookDeliveryPage> {
    return this.queries.execute(new ListWebhookDeliveriesQuery(workspaceIdOf(req), id, q.limit, q.cursor));
  }

  @Post(':id/deliveries/:deliveryId/retry')
  @HttpCode(202)
  async retry(
    @Param('id', endpointIdPipe) id: string,
    @Param('deliveryId', deliveryIdPipe) deliveryId: string,
    @NoBody() _body: undefined,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
  ) {
    const delivery: RetryWebhookDeliveryResult = await this.commands.execute(new RetryWebhookDeliveryCommand(workspaceIdOf(req), id, deliveryId, ctx));
    return { data: delivery };
  }
}
