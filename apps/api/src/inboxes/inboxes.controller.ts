import { Body, Controller, Delete, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LogPositionTracker } from '@ledgerdesk/event-sourcing';
import {
  CreateInboxCommand,
  GetInboxQuery,
  ListInboxesQuery,
  normalizeOrigin,
  RevokeInboxKeyCommand,
  RotateInboxHmacTokenCommand,
  RotateInboxKeyCommand,
  UpdateInboxCommand,
  type CreateInboxResult,
  type InboxChanges,
  type InboxView,
  type RotateInboxHmacTokenResult,
  type RotateInboxKeyResult,
  type UpdateInboxResult,
} from '@ledgerdesk/inboxes';
import { safeDestinationUrl } from '@ledgerdesk/deliveries';
import { APP_CONFIG, ReadConsistency } from '@ledgerdesk/infrastructure';
import type { LedgerdeskConfig } from '@ledgerdesk/runtime';
import type { CommandContext } from '@ledgerdesk/shared';
import { CredentialsService } from '../auth/credentials.service';
import { workspaceIdOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { PageQueryDto } from '../http/dto/page-query.dto';
import { sendLogPosition } from '../http/log-position';
import { CreateInboxDto, UpdateInboxDto } from './dto/inbox.dto';
import { NoBody } from '../http/no-body.pipe';

/** Stored as browsers send them (validated by the DTO), once each. */
const normalizeOrigins = (origins: string[]): string[] => [...new Set(origins.map((origin) => normalizeOrigin(origin) ?? origin))];

/** A malformed id names no inbox: 404, like any unknown id. */
const inboxIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, 'Inbox not found') });
const keyIdPipe = new ParseUUIDPipe({ exceptionFactory: () => new ApiError(404, 'API key not found') });

/** How long a write's answer may wait for its own projection (it is built from the read model). */
const OWN_WRITE_WAIT_MS = 2_000;

@ApiTags('inboxes')
@ApiBearerAuth()
@Controller('api/v1/inboxes')
export class InboxesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly consistency: ReadConsistency,
    private readonly positions: LogPositionTracker,
    @Inject(APP_CONFIG) private readonly config: LedgerdeskConfig,
    private readonly credentials: CredentialsService,
  ) {}

  @Post()
  async create(@Body() body: CreateInboxDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result: CreateInboxResult = await this.commands.execute(
      new CreateInboxCommand(
        workspaceIdOf(req),
        {
          name: body.name,
          enabled: body.enabled ?? true,
          slack_channel_id: body.slack_channel_id ?? null,
          callback_url: this.safeCallbackUrl(body.callback_url ?? null),
        },
        ctx,
        { hmac_mandatory: body.hmac_mandatory ?? false, allowed_origins: normalizeOrigins(body.allowed_origins ?? []) },
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.inbox };
  }

  @Get()
  list(@Query() query: PageQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(new ListInboxesQuery(workspaceIdOf(req), query.limit, query.cursor));
  }

  @Get(':id')
  async get(@Param('id', inboxIdPipe) id: string, @Req() req: FastifyRequest) {
    return { data: (await this.queries.execute(new GetInboxQuery(workspaceIdOf(req), id))) as InboxView };
  }

  @Patch(':id')
  async update(
    @Param('id', inboxIdPipe) id: string,
    @Body() body: UpdateInboxDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const workspaceId = workspaceIdOf(req);
    const changes: InboxChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.enabled !== undefined) changes.enabled = body.enabled;
    if (body.slack_channel_id !== undefined) changes.slack_channel_id = body.slack_channel_id;
    if (body.callback_url !== undefined) changes.callback_url = this.safeCallbackUrl(body.callback_url);
    if (body.hmac_mandatory !== undefined) changes.hmac_mandatory = body.hmac_mandatory;
    if (body.allowed_origins !== undefined) changes.allowed_origins = normalizeOrigins(body.allowed_origins);
    const result: UpdateInboxResult = await this.commands.execute(new UpdateInboxCommand(workspaceId, id, changes, ctx));
    sendLogPosition(reply, result.position);
    // Origins, enabled and hmac_mandatory decide the client API's next answers.
    if (changes.allowed_origins !== undefined || changes.enabled !== undefined || changes.hmac_mandatory !== undefined) {
      await this.credentials.afterCredentialChange(result.position);
    }
    await this.consistency.waitFor(result.position ?? this.positions.lastWritten, OWN_WRITE_WAIT_MS);
    const inbox: InboxView = await this.queries.execute(new GetInboxQuery(workspaceId, id));
    return { data: { ...inbox, ...changes, ...(result.callbackSecret && { callback_secret: result.callbackSecret }) } };
  }

  @Post(':id/api-keys/rotate')
  async rotateKey(
    @Param('id', inboxIdPipe) id: string,
    @NoBody() _body: undefined,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: RotateInboxKeyResult = await this.commands.execute(new RotateInboxKeyCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
    await this.credentials.afterCredentialChange(result.position); // older keys 401 from the next request on
    void reply.status(201);
    return { data: { ...result.apiKey, revoked_key_ids: result.revokedKeyIds } };
  }

  /** A new HMAC token, shown once; the old one stops verifying identities at once. */
  @Post(':id/hmac-token/rotate')
  async rotateHmacToken(
    @Param('id', inboxIdPipe) id: string,
    @NoBody() _body: undefined,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: RotateInboxHmacTokenResult = await this.commands.execute(new RotateInboxHmacTokenCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: { hmac_token: result.hmacToken } };
  }

  @Delete(':id/api-keys/:keyId')
  @HttpCode(204)
  async revokeKey(
    @NoBody() _body: undefined,
    @Param('id', inboxIdPipe) id: string,
    @Param('keyId', keyIdPipe) keyId: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: { position: number | null } = await this.commands.execute(new RevokeInboxKeyCommand(workspaceIdOf(req), id, keyId, ctx));
    sendLogPosition(reply, result.position);
    await this.credentials.afterCredentialChange(result.position);
  }

  /** Callback URLs pass the webhooks' destination check, and are stored as webhook URLs are (normalised). */
  private safeCallbackUrl(url: string | null): string | null {
    if (url === null) return null;
    return safeDestinationUrl(url, { allowPrivateNetworks: this.config.webhookAllowPrivateNetworks }, 'callback_url');
  }
}
