import { assertApiCanRead, ConfigError, loadConfig } from './config';

const cwd = '/srv/ledgerdesk';

function problemsOf(env: NodeJS.ProcessEnv): { variable: string; message: string }[] {
  try {
    loadConfig(env, { cwd });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty env', () => {
    expect(loadConfig({}, { cwd })).toEqual({
      port: 3000,
      dataDir: '/srv/ledgerdesk/data',
      adminToken: undefined,
      eventStoreUrl: undefined,
      mongoUrl: undefined,
      redisUrl: undefined,
      slackApiUrl: 'https://slack.com/api/',
      webhookRetryScheduleMs: [5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000],
      webhookAllowPrivateNetworks: false,
      logLevel: 'info',
      rateLimitWorkspacePerMinute: 600,
      rateLimitInboxPerMinute: 120,
      roles: ['api', 'projector', 'worker'],
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        DATA_DIR: '/var/lib/ledgerdesk',
        ADMIN_TOKEN: 'ldadm_abc',
        EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false',
        MONGO_URL: 'mongodb://mongo:27017/ledgerdesk',
        REDIS_URL: 'redis://redis:6379',
        SLACK_API_URL: 'http://127.0.0.1:9999/api',
        WEBHOOK_RETRY_SCHEDULE_MS: '10, 20,30',
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
        LOG_LEVEL: 'DEBUG',
        RATE_LIMIT_WORKSPACE_PER_MINUTE: '1000',
        RATE_LIMIT_INBOX_PER_MINUTE: '5',
        LEDGERDESK_ROLES: 'worker, api,worker',
      },
      { cwd },
    );
    expect(config).toEqual({
      port: 8080,
      dataDir: '/var/lib/ledgerdesk',
      adminToken: 'ldadm_abc',
      eventStoreUrl: 'esdb://eventstore:2113?tls=false',
      mongoUrl: 'mongodb://mongo:27017/ledgerdesk',
      redisUrl: 'redis://redis:6379',
      slackApiUrl: 'http://127.0.0.1:9999/api/',
      webhookRetryScheduleMs: [10, 20, 30],
      webhookAllowPrivateNetworks: true,
      logLevel: 'debug',
      rateLimitWorkspacePerMinute: 1000,
      rateLimitInboxPerMinute: 5,
      roles: ['worker', 'api'],
    });
  });

  it('resolves a relative DATA_DIR against the working directory', () => {
    expect(loadConfig({ DATA_DIR: './state/../tmp-data' }, { cwd }).dataDir).toBe('/srv/ledgerdesk/tmp-data');
  });

  it('treats empty strings as unset, as compose files pass them', () => {
    expect(loadConfig({ REDIS_URL: '', ADMIN_TOKEN: '', PORT: ' ' }, { cwd })).toMatchObject({
      redisUrl: undefined,
      adminToken: undefined,
      port: 3000,
    });
  });

  it('returns a frozen object, including its lists', () => {
    const config = loadConfig({}, { cwd });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.webhookRetryScheduleMs)).toBe(true);
    expect(Object.isFrozen(config.roles)).toBe(true);
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['EVENTSTORE_URL', 'http://eventstore:2113'],
    ['MONGO_URL', 'not a url'],
    ['REDIS_URL', 'localhost:6379'],
    ['SLACK_API_URL', 'ftp://slack.com/api/'],
    ['WEBHOOK_RETRY_SCHEDULE_MS', '5000,,10'],
    ['WEBHOOK_RETRY_SCHEDULE_MS', '5s'],
    ['WEBHOOK_ALLOW_PRIVATE_NETWORKS', 'maybe'],
    ['LOG_LEVEL', 'verbose'],
    ['RATE_LIMIT_WORKSPACE_PER_MINUTE', '0'],
    ['RATE_LIMIT_INBOX_PER_MINUTE', '1.5'],
    ['LEDGERDESK_ROLES', 'api,scheduler'],
    ['LEDGERDESK_ROLES', ','],
    ['ADMIN_TOKEN', 'two words'],
  ])('rejects %s=%p naming the variable', (variable, value) => {
    // The message quotes the bad value (except ADMIN_TOKEN, a secret) so the fix is obvious.
    const problems = problemsOf({ [variable]: value });
    expect(problems).toEqual([{ variable, message: expect.any(String) }]);
    expect(() => loadConfig({ [variable]: value }, { cwd })).toThrow(`  ${variable}: ${problems[0]?.message}`);
  });

  it('refuses an API process without the projector role unless the read models are in MongoDB', () => {
    const problemsOfRoles = (env: NodeJS.ProcessEnv) => {
      try {
        assertApiCanRead(loadConfig(env, { cwd }));
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return [...(error as ConfigError).problems];
      }
    };
    expect(problemsOfRoles({ LEDGERDESK_ROLES: 'api' })).toEqual([{ variable: 'LEDGERDESK_ROLES', message: expect.stringContaining('MONGO_URL') }]);
    expect(problemsOfRoles({ LEDGERDESK_ROLES: 'api,worker' }).map((p) => p.variable)).toEqual(['LEDGERDESK_ROLES']);
    expect(problemsOfRoles({ LEDGERDESK_ROLES: 'api', MONGO_URL: 'mongodb://mongo:27017/ledgerdesk' })).toEqual([]);
    expect(problemsOfRoles({ LEDGERDESK_ROLES: 'api,projector' })).toEqual([]);
    // loadConfig itself takes it: the projector, worker and CLI processes read the same env.
    expect(loadConfig({ LEDGERDESK_ROLES: 'api' }, { cwd }).roles).toEqual(['api']);
  });

  it('reports all bad variables at once', () => {
    expect(problemsOf({ PORT: 'x', LOG_LEVEL: 'loud' }).map((p) => p.variable)).toEqual(['PORT', 'LOG_LEVEL']);
  });

  it('never echoes an ADMIN_TOKEN back into the error', () => {
    expect(problemsOf({ ADMIN_TOKEN: 'sec ret' })[0]?.message).not.toContain('sec ret');
  });
});
