import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { EnsureCustomerService } from '@ledgerdesk/customers';
import { InfrastructureModule, type Infrastructure } from '@ledgerdesk/infrastructure';
import { TICKET_HANDLERS } from '@ledgerdesk/tickets';
import { WORKSPACE_HANDLERS } from '@ledgerdesk/workspaces';
import { WorkspacesController } from './admin/workspaces.controller';
import { CredentialsService } from './auth/credentials.service';
import { HealthController } from './health/health.controller';
import { ErrorEnvelopeFilter } from './http/error-envelope.filter';
import { ReadConsistencyInterceptor } from './http/read-consistency.interceptor';
import { ApiValidationPipe } from './http/validation.pipe';
import { TicketsController } from './tickets/tickets.controller';

@Module({})
export class AppModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    return {
      module: AppModule,
      imports: [
        InfrastructureModule.register(infrastructure),
        CqrsModule.forRoot(),
        TerminusModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: infrastructure.config.logLevel,
            // Fastify already assigned the request id (echoed or minted).
            genReqId: (req) => (req as unknown as { id: string }).id,
            autoLogging: infrastructure.config.logLevel === 'debug' || infrastructure.config.logLevel === 'trace',
            redact: ['req.headers.authorization'],
          },
        }),
      ],
      controllers: [HealthController, WorkspacesController, TicketsController],
      providers: [
        CredentialsService,
        EnsureCustomerService,
        ...WORKSPACE_HANDLERS,
        ...TICKET_HANDLERS,
        { provide: APP_FILTER, useClass: ErrorEnvelopeFilter },
        { provide: APP_PIPE, useClass: ApiValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: ReadConsistencyInterceptor },
      ],
    };
  }
}
