import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GetInboxByPublicIdentifierQuery, type PublicInbox } from '@ledgerdesk/inboxes';
import { APP_CONFIG } from '@ledgerdesk/infrastructure';
import type { LedgerdeskConfig } from '@ledgerdesk/runtime';
import { ApiError } from '../http/api-error';
import { WidgetBundleService } from './widget-bundle.service';
import { widgetDemoPage } from './widget-demo.page';

/** Not versioned by URL, so kept short: a new release reaches pages within minutes, and revalidation is a 304. */
const WIDGET_CACHE_CONTROL = 'public, max-age=300';
const PUBLIC_IDENTIFIER = /^ldp_[A-Za-z0-9]{24}$/;

/** Does an If-None-Match header name this ETag (weak comparison, `*`, lists)? */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}

/** The website widget (API.md section 11): public, no credential, outside the /api/v1 OpenAPI document. */
@ApiExcludeController()
@Controller()
export class WidgetController {
  constructor(
    private readonly bundles: WidgetBundleService,
    private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: LedgerdeskConfig,
  ) {}

  @Get('widget.js')
  async script(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const bundle = await this.bundles.get();
    if (!bundle) throw new ApiError(503, 'The widget is not available on this server');
    void reply.header('Cache-Control', WIDGET_CACHE_CONTROL).header('ETag', bundle.etag).header('Access-Control-Allow-Origin', '*');
    if (matchesEtag(request.headers['if-none-match'], bundle.etag)) {
      await reply.status(304).send();
      return;
    }
    await reply.status(200).header('Content-Type', 'application/javascript; charset=utf-8').send(bundle.body);
  }

  @Get('widget/demo')
  async demo(@Query('inbox') inbox: unknown, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (typeof inbox !== 'string' || !PUBLIC_IDENTIFIER.test(inbox)) {
      throw new ApiError(400, 'inbox must be an inbox public_identifier', { inbox: ['must be ldp_ followed by 24 letters or digits'] });
    }
    const found: PublicInbox | null = await this.queries.execute(new GetInboxByPublicIdentifierQuery(inbox));
    if (!found || !found.enabled || found.deleted) throw new ApiError(404, 'Inbox not found');
    const origin = this.config.publicUrl ? new URL(this.config.publicUrl).origin : `${request.protocol}://${request.headers.host ?? 'localhost'}`;
    await reply
      .status(200)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .send(widgetDemoPage({ publicIdentifier: found.public_identifier, name: found.name }, origin));
  }
}
