import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SubmitIntakeMessageCommand, type IntakeResult } from '@ledgerdesk/inboxes';
import type { CommandContext } from '@ledgerdesk/shared';
import { principalOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { IntakeMessageDto } from './dto/intake-message.dto';

@ApiTags('intake')
@ApiBearerAuth()
@Controller('api/v1/inbox')
export class IntakeController {
  constructor(private readonly commands: CommandBus) {}

  @Post('messages')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a ticket, or append to one with its ticketToken (inbox key)',
    description: 'Response 201 { ok, ticketId, ticketToken, messageId }. Errors: 400, 401, 402, 403, 404, 409, 413, 429.',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1..255 chars; the first response is replayed for 24 h' })
  async submit(@Body() body: IntakeMessageDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const principal = principalOf(req);
    if (principal.kind !== 'inbox') throw new ApiError(401, 'Invalid or revoked inbox key');
    const result: IntakeResult = await this.commands.execute(
      new SubmitIntakeMessageCommand(
        principal.workspaceId,
        principal.inboxId,
        {
          email: body.email,
          message: body.message,
          name: body.name ?? null,
          subject: body.subject ?? null,
          ticketToken: body.ticketToken ?? null,
          externalId: body.externalId ?? null,
        },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    return { ok: true, ticketId: result.ticketId, ticketToken: result.ticketToken, messageId: result.messageId };
  }
}
