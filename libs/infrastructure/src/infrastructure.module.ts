import { Global, Module, type DynamicModule } from '@nestjs/common';
import { CommandRunner, LogPositionTracker } from '@ledgerdesk/event-sourcing';
import { EVENT_STORE } from '@ledgerdesk/event-store';
import { READ_STORE } from '@ledgerdesk/read-store';
import { SecretBox } from '@ledgerdesk/shared';
import type { Infrastructure } from './infrastructure';
import { ReadConsistency } from './read-consistency';

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Exposes an already started Infrastructure to Nest's DI, by port token. */
@Global()
@Module({})
export class InfrastructureModule {
  static register(infrastructure: Infrastructure): DynamicModule {
    const providers = [
      { provide: INFRASTRUCTURE, useValue: infrastructure },
      { provide: APP_CONFIG, useValue: infrastructure.config },
      { provide: EVENT_STORE, useValue: infrastructure.eventStore },
      { provide: READ_STORE, useValue: infrastructure.readStore },
      { provide: CommandRunner, useValue: infrastructure.runner },
      { provide: LogPositionTracker, useValue: infrastructure.positions },
      { provide: ReadConsistency, useValue: infrastructure.consistency },
      { provide: SecretBox, useValue: infrastructure.secrets },
    ];
    return { module: InfrastructureModule, providers, exports: providers.map((p) => p.provide) };
  }
}
