import { Controller, Get, Req } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { publicInboxOf } from './public-request';

/** Client API (API.md section 9): what a chat front end needs to know about the inbox. */
@ApiTags('client API')
@ApiParam({ name: 'public_identifier', description: "The inbox's public_identifier (ldp_...)" })
@Controller('public/api/v1/inboxes/:public_identifier')
export class PublicInboxController {
  @Get()
  get(@Req() req: FastifyRequest) {
    publicInboxOf(req); // 404 for an unknown or disabled inbox
    const inbox = req.publicInbox!;
    return { data: { identifier: inbox.public_identifier, name: inbox.name, hmac_mandatory: inbox.hmac_mandatory } };
  }
}
