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
import type { CommandContext } from '@ledgerdesk/shared';
import { workspaceIdOf } from '../auth/principal';
import { Ctx } from '../http/command-context.factory';
import { sendLogPosition } from '../http/log-position';
import { idPipe } from '../http/read-your-write';
import { CreateCustomerDto } from './dto/create-customer.dto';
import { ListCustomersQueryDto } from './dto/list-customers-query.dto';
import { UpdateCustomerDto } from './dto/update-customer.dto';

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
    const result: CreateCustomerResult = await this.commands.execute(
      new CreateCustomerCommand(
        workspaceIdOf(req),
        { email: body.email, name: body.name ?? null, phone: body.phone ?? null, company: body.company ?? null, customFields: body.custom_fields ?? {} },
        ctx,
      ),
    );
    sendLogPosition(reply, result.position);
    void reply.status(201);
    return { data: result.customer };
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
    @Param('id', idPipe('Customer')) id: string,
    @Ctx() ctx: CommandContext,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result: DeleteCustomerResult = await this.commands.execute(new DeleteCustomerCommand(workspaceIdOf(req), id, ctx));
    sendLogPosition(reply, result.position);
  }
}
