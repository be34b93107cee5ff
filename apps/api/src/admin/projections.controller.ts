import { Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { RebuildInProgressError, UnknownProjectionError } from '@ledgerdesk/projector';
import { ApiError } from '../http/api-error';
import { NoBody } from '../http/no-body.pipe';

/** Projection operations (API.md section 2). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/projections')
export class ProjectionsController {
  constructor(@Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure) {}

  @Get()
  async list() {
    return { data: await this.infrastructure.projectionReport() };
  }

  /** 202: the rebuild runs in the background; follow it with GET /admin/projections. */
  @Post(':name/rebuild')
  @HttpCode(202)
  async rebuild(@Param('name') name: string, @NoBody() _body: undefined) {
    const projector = this.infrastructure.projector;
    const known = (await this.infrastructure.projectionReport()).some((p) => p.name === name);
    if (!known) throw new ApiError(404, `Projection ${name} not found`);
    if (!projector) {
      throw new ApiError(503, 'This process does not run the projector role; send the rebuild to a process that does');
    }
    try {
      const { generation } = await projector.rebuild(name);
      return { data: { name, state: 'rebuilding', generation } };
    } catch (error) {
      if (error instanceof UnknownProjectionError) throw new ApiError(404, error.message);
      if (error instanceof RebuildInProgressError) throw new ApiError(409, error.message);
      throw error;
    }
  }
}
