import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, type HealthCheckResult, HealthCheckService, type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { INFRASTRUCTURE, type Infrastructure } from '@ledgerdesk/infrastructure';
import { REQUEST_REDIS_COMMAND_TIMEOUT_MS } from '@ledgerdesk/runtime';
import { ApiError } from '../http/api-error';
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
   * Event store, read store and Redis reachable; otherwise 503 in the error envelope naming what
   * is down, every probe in `details`: `{ error: { code: 'SERVICE_UNAVAILABLE', message: 'Not
   * ready: redis is down', details: { redis: { status: 'down', message }, ... } } }`.
   */
  @Get('ready')
  @HealthCheck()
  async ready() {
    try {
      return await this.health.check([
        () => this.check('event_store', () => this.infrastructure.eventStore.ping()),
        () => this.check('read_store', () => this.infrastructure.readStore.ping()),
        () => this.check('redis', () => this.pingRedis()),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const down = Object.keys(result.error ?? {});
      throw new ApiError(503, `Not ready: ${down.join(', ') || 'a probe'} ${down.length > 1 ? 'are' : 'is'} down`, { ...result.details });
    }
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
