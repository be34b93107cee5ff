import { Controller, Get, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { REQUEST_REDIS_COMMAND_TIMEOUT_MS } from '@ledgerdesk/runtime';
import { ApiRedis } from '../idempotency/api-redis';

/** A probe that has not answered by then counts as down: the readiness answer itself never hangs. */
const PROBE_TIMEOUT_MS = 2_000;

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    @Inject(INFRASTRUCTURE) private readonly infrastructure: Infrastructure,
    private readonly redis: ApiRedis,
  ) {}

  /** The process is up. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /**
   * Event store, read store and Redis reachable; 503 otherwise, naming what is down, e.g.
   * `{ status: 'error', error: { redis: { status: 'down', message } }, details: { ... } }`.
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.check('event_store', () => this.infrastructure.eventStore.ping()),
      () => this.check('read_store', () => this.infrastructure.readStore.ping()),
      () => this.check('redis', () => this.pingRedis()),
    ]);
  }

  /** Through the API's own connection: the one requests use (and the one that knows the password). */
  private async pingRedis(): Promise<void> {
    if (this.infrastructure.redis.state === 'restarting') throw new Error('embedded redis-server is restarting');
    // Known to be away (disconnected, or stalled and being probed): say so without waiting.
    if (!this.redis.available) throw new Error(this.redis.reason ?? 'unavailable');
    try {
      await this.redis.client.ping();
    } catch (error) {
      this.redis.noteFailure(error);
      throw new Error(
        /timed out/i.test(String(error)) ? `no answer to PING within ${REQUEST_REDIS_COMMAND_TIMEOUT_MS} ms` : `PING failed: ${(error as Error).message}`,
      );
    }
  }

  private async check(key: string, probe: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.indicator.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
        }),
      ]);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : 'unreachable' });
    } finally {
      clearTimeout(timer);
    }
  }
}
