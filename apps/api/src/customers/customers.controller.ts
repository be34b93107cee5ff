import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateCustomerCommand,
  DeleteCustomerCommand,
  GetCustomerQuery,
  ListCustomersQuery,
  UpdateCustomerCommand,
  type CreateCustomerResult,
  type CustomerView,
  type DeleteCustomerResult,
  type UpdateCustomerResult,
} from '@ledgerdesk/customers';
import { CreateContactCommand, OpenContactSessionCommand, toContactInbox, type CreateContactResult, type OpenedContactSession } from '@ledgerdesk/channel';
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { ApiError } from '../http/api-error';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateContactInboxDto } from './dto/create-contact-inbox.dto';
import { CreateCustomerDto } from './dto/create-customer.dto';
import { ListCustomersQueryDto } from './dto/list-customers-query.dto';
import { UpdateCustomerDto } from './dto/update-customer.dto';
import { NoBody } from '../http/no-body.pipe';

const IDENTIFYING_FIELDS = ['email', 'identifier', 'name', 'phone', 'company', 'inbox_id'] as const;

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  async create(@Body() body: CreateCustomerDto, @Ctx() ctx: CommandContext, @Req() req: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    // Email is optional, but a customer of nothing at all (no contact session either) is a mistake.
    if (IDENTIFYING_FIELDS.every((field) => body[field] === undefined)) {
      throw new ApiError(400, 'A customer needs an email, identifier, name, phone or company, or an inbox_id', {
        email: [`required unless one of ${IDENTIFYING_FIELDS.filter((f) => f !== 'email').join(', ')} is given`],
      });
    }
    const customer = {
      email: body.email ?? null,
      identifier: body.identifier ?? null,
      name: body.name ?? null,
      phone: body.phone ?? null,
      company: body.company ?? null,
      customFields: body.custom_fields ?? {},
    };
    // With inbox_id, call 1 of the API channel: the customer and a contact session on that inbox.
    const result: CreateCustomerResult | CreateContactResult = await this.commands.execute(
      body.inbox_id ? new CreateContactCommand(workspaceIdOf(req), customer, body.inbox_id, ctx) : new CreateCustomerCommand(workspaceIdOf(req), customer, ctx),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.customer };
  }

  /** Another contact session of the customer on an inbox (API.md section 8). */
  @Post(':id/contact-inboxes')
  async openContactInbox(
    @Param('id', idPipe('Customer')) id: string,
    @Body() body: CreateContactInboxDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: OpenedContactSession = await this.commands.execute(
      new OpenContactSessionCommand({ workspaceId: workspaceIdOf(req), customerId: id, inboxId: body.inbox_id, hmacVerified: false, context: ctx }),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: toContactInbox(result.session) };
  }

  @Get()
  list(@Query() q: ListCustomersQueryDto, @Req() req: FastifyRequest) {
    return this.queries.execute(
      new ListCustomersQuery(workspaceIdOf(req), {
        email: q.email,
        search: q.search,
        phone: q.phone,
        orderBy: q.order_by,
        orderDir: q.order_dir,
        limit: q.limit,
        cursor: q.cursor,
      }),
    );
  }

  @Get(':id')
  async get(@Param('id', idPipe('Customer')) id: string, @Req() req: FastifyRequest) {
    return { data: (await this.queries.execute(new GetCustomerQuery(workspaceIdOf(req), id))) as CustomerView };
  }

  @Patch(':id')
  async update(
    @Param('id', idPipe('Customer')) id: string,
    @Body() body: UpdateCustomerDto,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: UpdateCustomerResult = await this.commands.execute(new UpdateCustomerCommand(workspaceIdOf(req), id, { ...body }, ctx));
    sendLogPosition(reply, result.position);
    return { data: result.customer };
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @NoBody() _body: undefined,
    @Param('id', idPipe('Customer')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: DeleteCustomerResult = await this.commands.execute(new DeleteCustomerCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
  }
}
