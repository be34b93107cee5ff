import { Module, RequestMethod, type DynamicModule } from '@nestjs/common';
import { DeliveriesApiModule } from './webhooks/deliveries-api.module';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { ConversationsController } from './conversations/conversations.controller';
import { CustomersController } from './customers/customers.controller';
import { UsersController } from './users/users.controller';
import { TagsController } from './tags/tags.controller';
import { ArticlesController } from './articles/articles.controller';
import { InfrastructureModule, type Infrastructure } from '@ledgerdesk/infrastructure';
import { ArticlesModule } from '@ledgerdesk/articles';
import { CustomersModule } from '@ledgerdesk/customers';
import { ChannelModule } from '@ledgerdesk/channel';
import { InboxesModule } from '@ledgerdesk/inboxes';
import { TagsModule } from '@ledgerdesk/tags';
import { TicketsModule } from '@ledgerdesk/tickets';
import { UsersModule } from '@ledgerdesk/users';
import { WorkspacesModule } from '@ledgerdesk/workspaces';
import { RealtimeModule } from '@ledgerdesk/realtime';
import { IdempotencyHooks } from './idempotency/idempotency.hooks';
import { ApiRedisModule } from './idempotency/api-redis';
import { InboxesController } from './inboxes/inboxes.controller';
import { IntakeController } from './intake/intake.controller';
import { PublicApiModule } from './public-api/public-api.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ProjectionsController } from './admin/projections.controller';
import { WorkspacesController } from './admin/workspaces.controller';
import { EventsController } from './events/events.controller';
import { CredentialsService } from './auth/credentials.service';
import { HealthController } from './health/health.controller';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter';
import { requestForLog } from './http/log-redaction';
import { ReadConsistencyGuard } from './http/read-consistency.guard';
import { ApiValidationPipe } from './http/validation.pipe';
import { TicketsController } from './tickets/tickets.controller';
import { WidgetModule } from './widget/widget.module';

/** Every request is logged (pino-http auto-logging) at these levels only. */
const isAutoLogging = (level: string): boolean => level === 'debug' || level === 'trace';

@Module({})
export class AppModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DeliveriesApiModule,
        InfrastructureModule.register(infrastructure),
        CqrsModule.forRoot(),
        // The contexts: each brings its use cases (command and query handlers).
        WorkspacesModule,
        TicketsModule,
        InboxesModule,
        CustomersModule,
        ChannelModule,
        UsersModule,
        TagsModule,
        ArticlesModule,
        ApiRedisModule,
        RateLimitModule,
        PublicApiModule,
        RealtimeModule,
        WidgetModule,
        TerminusModule,
        LoggerModule.forRoot({
          // pino-http's middleware builds a child logger (serialising and redacting the request)
          // and enters an AsyncLocalStorage scope on every request, which also turns on promise
          // hooks for the whole process. Only worth it when every request is logged; otherwise
          // the few lines written about a request bind it themselves (http/request-log.ts).
          forRoutes: isAutoLogging(infrastructure.config.logLevel) ? [{ path: '*', method: RequestMethod.ALL }] : [],
          pinoHttp: {
            level: infrastructure.config.logLevel,
            // Fastify already assigned the request id (echoed or minted).
            genReqId: (req) => (req as unknown as { id: string }).id,
            autoLogging: isAutoLogging(infrastructure.config.logLevel),
            // Credentials never reach a log line, in headers or query strings (http/log-redaction.ts).
            serializers: { req: requestForLog },
          },
        }),
      ],
      controllers: [
        HealthController,
        WorkspacesController,
        TicketsController,
        ProjectionsController,
        EventsController,
        InboxesController,
        IntakeController,
        ConversationsController,
        CustomersController,
        UsersController,
        TagsController,
        ArticlesController,
      ],
      providers: [
        CredentialsService,
        IdempotencyHooks,
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
        { provide: APP_GUARD, useClass: ReadConsistencyGuard },
      ],
    };
  }
}
