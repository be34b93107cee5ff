import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { pingRedis } from '@ledgerdesk/runtime';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
  ) {}

  /** The process is up. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Event store, read store and Redis reachable; 503 otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.check('event_store', () => this.infrastructure.eventStore.ping()),
      () => this.check('read_store', () => this.infrastructure.readStore.ping()),
      () => this.check('redis', () => this.pingRedis()),
    ]);
  }

  private async pingRedis(): Promise<void> {
    const url = new URL(this.infrastructure.redis.url);
    if (!(await pingRedis(url.hostname, Number(url.port || 6379)))) throw new Error('Redis did not answer PING');
  }

  private async check(key: string, probe: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.indicator.check(key);
    try {
      await probe();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    }
  }
}
