import { EventEmitter } from 'node:events';
import { RedisTimeoutError } from './answer-within';
import { isRedisConnectionError, RedisMonitor, redisLabel } from './redis-monitor';

/** Stands in for an ioredis client: ioredis emits a status event a tick after setting `status`. */
class FakeClient extends EventEmitter {
  status = 'connecting';
  set(status: string, ...args: unknown[]): void {
    this.status = status;
    this.emit(status, ...args);
  }
  fail(code: string): void {
    this.emit('error', Object.assign(new Error(`connect ${code} 127.0.0.1:6379`), { code }));
    this.set('close');
    this.status = 'reconnecting';
  }
}

function recording() {
  const lines: string[] = [];
  return { lines, logger: { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`) } };
}

describe('RedisMonitor', () => {
  it('logs one line when Redis goes away and one when it is back, however many connections and attempts', () => {
    const { lines, logger } = recording();
    const monitor = new RedisMonitor(logger, 'redis://127.0.0.1:6379');
    const clients = [new FakeClient(), new FakeClient(), new FakeClient()];
    clients.forEach((c, i) => monitor.watch(c, `c${i}`));
    const changes: boolean[] = [];
    monitor.onChange((available) => changes.push(available));
    for (const c of clients) c.set('ready');
    expect(monitor.available).toBe(true);

    for (let attempt = 0; attempt < 5; attempt++) for (const c of clients) c.fail('ECONNREFUSED');
    expect(monitor.available).toBe(false);
    expect(monitor.reason).toMatch(/ECONNREFUSED/);
    expect(monitor.unavailableSince).toEqual(expect.any(Number));

    clients[0].set('ready');
    clients[1].set('ready');
    expect(monitor.available).toBe(false); // one connection is still down
    clients[2].set('ready');
    expect(monitor.available).toBe(true);

    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^warn Redis at redis:\/\/127\.0\.0\.1:6379 is unreachable \(connect ECONNREFUSED/);
    expect(lines[1]).toMatch(/^info Redis at redis:\/\/127\.0\.0\.1:6379 is reachable again \(after \d+\.\d s\)$/);
    expect(changes).toEqual([false, true]);
  });

  it('says nothing when a connection is closed on purpose', () => {
    const { lines, logger } = recording();
    const monitor = new RedisMonitor(logger, 'redis');
    const client = monitor.watch(new FakeClient(), 'api');
    client.set('ready');
    client.status = 'end'; // quit(): status is `end` by the time `close` is emitted
    client.emit('close');
    client.emit('end');
    expect(monitor.available).toBe(true);
    expect(lines).toEqual([]);
  });

  it('takes reports for what connection events cannot tell (a stalled server keeps its sockets)', () => {
    const { lines, logger } = recording();
    const monitor = new RedisMonitor(logger, 'redis');
    monitor.report('api-commands', false, 'commands get no answer');
    monitor.report('api-commands', false, 'again');
    expect(monitor.available).toBe(false);
    expect(monitor.reason).toBe('commands get no answer');
    monitor.report('api-commands', true);
    expect(monitor.available).toBe(true);
    expect(lines).toHaveLength(2);
  });
});

describe('isRedisConnectionError', () => {
  it.each([
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
    new Error('Connection is closed.'),
    new Error('Command timed out'),
    new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    new RedisTimeoutError('PING', 250),
  ])('counts %p as Redis being away', (error) => expect(isRedisConnectionError(error)).toBe(true));

  it.each([new Error('ERR Error running script'), new Error('WRONGTYPE Operation against a key holding the wrong kind of value'), 'ECONNREFUSED'])(
    'does not count %p',
    (error) => expect(isRedisConnectionError(error)).toBe(false),
  );
});

describe('redisLabel', () => {
  it('drops credentials from the URL', () => {
    expect(redisLabel('redis://user:s3cret@cache.internal:6380/2')).toBe('redis://cache.internal:6380/2');
    expect(redisLabel('redis://:s3cret@cache.internal:6379')).toBe('redis://cache.internal:6379');
    expect(redisLabel('not a url')).toBe('REDIS_URL');
  });
});
