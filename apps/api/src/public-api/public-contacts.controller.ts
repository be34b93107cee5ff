import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreatePublicContactCommand,
  GetPublicContactQuery,
  UpdatePublicContactCommand,
  type PublicContactResult,
  type PublicContactView,
} from '@ledgerdesk/channel';
import type { CommandContext } from '@ledgerdesk/shared';
import { sendLogPosition } from '../http/log-position';
import { ContactIdentityQueryDto, CreatePublicContactDto, UpdatePublicContactDto } from './dto/public-contact.dto';
import { PublicCtx, PublicIdempotencyKey, publicInboxOf } from './public-request';

const identityOf = (dto: { identifier?: string; identifier_hash?: string }) => ({ identifier: dto.identifier, identifierHash: dto.identifier_hash });
const profileOf = (dto: CreatePublicContactDto) => ({ name: dto.name, email: dto.email, phone: dto.phone, customAttributes: dto.custom_attributes });

/** Client API contacts (API.md section 9): a contact session, verified by HMAC or anonymous. */
@ApiTags('client API')
@ApiParam({ name: 'public_identifier', description: "The inbox's public_identifier (ldp_...)" })
@Controller('public/api/v1/inboxes/:public_identifier/contacts')
export class PublicContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @PublicIdempotencyKey()
  async create(
    @Body() body: CreatePublicContactDto,
    @Req() request: FastifyRequest,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: PublicContactResult = await this.commands.execute(
      new CreatePublicContactCommand({ inbox: publicInboxOf(request), identity: identityOf(body), contact: profileOf(body), context }),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.contact };
  }

  @Get(':source_id')
  async get(@Query() query: ContactIdentityQueryDto, @Req() request: FastifyRequest, @Param('source_id') sourceId: string) {
    const contact: PublicContactView = await this.queries.execute(
      new GetPublicContactQuery({ inbox: publicInboxOf(request), sourceId, identity: identityOf(query) }),
    );
    return { data: contact };
  }

  @Patch(':source_id')
  async update(
    @Body() body: UpdatePublicContactDto,
    @Req() request: FastifyRequest,
    @Param('source_id') sourceId: string,
    @PublicCtx() context: CommandContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: PublicContactResult = await this.commands.execute(
      new UpdatePublicContactCommand({ inbox: publicInboxOf(request), sourceId, identity: identityOf(body), changes: profileOf(body), context }),
    );
    sendLogPosition(reply, result.position);
    return { data: result.contact };
  }
}
