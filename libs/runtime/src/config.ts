import { isAbsolute, resolve } from 'node:path';
import { parseBoolean, parseInteger, parseIntegerList, parseOneOf, parseSubset, parseUrl } from './config-parsers';

export const ROLES = ['api', 'projector', 'worker'] as const;
export type Role = (typeof ROLES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the env can set (ARCHITECTURE.md "Running it"). Unset URLs select embedded adapters. */
export interface LedgerdeskConfig {
  readonly port: number;
  /** Absolute. */
  readonly dataDir: string;
  readonly adminToken?: string;
  /** Base64 of the 32-byte key that seals stored secrets; unset: a key generated under DATA_DIR. */
  readonly secretsKey?: string;
  readonly eventStoreUrl?: string;
  readonly mongoUrl?: string;
  readonly redisUrl?: string;
  /** Always ends with "/", as @slack/web-api joins method names onto it. */
  readonly slackApiUrl: string;
  readonly webhookRetryScheduleMs: readonly number[];
  readonly webhookAllowPrivateNetworks: boolean;
  readonly logLevel: LogLevel;
  readonly rateLimitWorkspacePerMinute: number;
  readonly rateLimitInboxPerMinute: number;
  /** Client API (API.md section 9): contact creations a minute per client address; unset: 30. */
  readonly rateLimitPublicPerMinute?: number;
  /** Client API: every other call, a minute per contact session; unset: 120. */
  readonly rateLimitContactPerMinute?: number;
  /** Ledgerdesk's own origin for the client API's origin check; unset: the scheme and Host of each request. */
  readonly publicUrl?: string;
  readonly roles: readonly Role[];
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS = [5000, 300000, 1800000, 7200000, 18000000, 36000000, 36000000];

/**
 * Reads and validates the whole env at once and reports every bad variable together, so an
 * operator fixes a deployment in one round instead of one restart per typo. Empty strings count
 * as unset: compose files commonly pass `VAR=${VAR:-}`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { cwd?: string } = {}): LedgerdeskConfig {
  const problems: { variable: string; message: string }[] = [];
  const read = <T>(variable: string, fallback: T, parse: (raw: string) => T): T => {
    const raw = env[variable]?.trim();
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (error) {
      problems.push({ variable, message: (error as Error).message });
      return fallback;
    }
  };
  const cwd = options.cwd ?? process.cwd();

  const config: LedgerdeskConfig = {
    port: read('PORT', 3000, (raw) => parseInteger(raw, 0, 65535)),
    dataDir: read('DATA_DIR', resolve(cwd, 'data'), (raw) => (isAbsolute(raw) ? resolve(raw) : resolve(cwd, raw))),
    adminToken: read<string | undefined>('ADMIN_TOKEN', undefined, parseAdminToken),
    secretsKey: read<string | undefined>('SECRETS_KEY', undefined, parseSecretsKey),
    eventStoreUrl: read<string | undefined>('EVENTSTORE_URL', undefined, (raw) =>
      parseUrl(raw, ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:']),
    ),
    mongoUrl: read<string | undefined>('MONGO_URL', undefined, (raw) => parseUrl(raw, ['mongodb:', 'mongodb+srv:'])),
    redisUrl: read<string | undefined>('REDIS_URL', undefined, (raw) => parseUrl(raw, ['redis:', 'rediss:'])),
    slackApiUrl: read('SLACK_API_URL', 'https://slack.com/api/', (raw) => withTrailingSlash(parseUrl(raw, ['https:', 'http:']))),
    webhookRetryScheduleMs: read('WEBHOOK_RETRY_SCHEDULE_MS', DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, parseIntegerList),
    webhookAllowPrivateNetworks: read('WEBHOOK_ALLOW_PRIVATE_NETWORKS', false, parseBoolean),
    logLevel: read<LogLevel>('LOG_LEVEL', 'info', (raw) => parseOneOf(raw.toLowerCase(), LOG_LEVELS)),
    rateLimitWorkspacePerMinute: read('RATE_LIMIT_WORKSPACE_PER_MINUTE', 600, (raw) => parseInteger(raw, 1, 1_000_000)),
    rateLimitInboxPerMinute: read('RATE_LIMIT_INBOX_PER_MINUTE', 120, (raw) => parseInteger(raw, 1, 1_000_000)),
    rateLimitPublicPerMinute: read<number | undefined>('RATE_LIMIT_PUBLIC_PER_MINUTE', undefined, (raw) => parseInteger(raw, 1, 1_000_000)),
    rateLimitContactPerMinute: read<number | undefined>('RATE_LIMIT_CONTACT_PER_MINUTE', undefined, (raw) => parseInteger(raw, 1, 1_000_000)),
    publicUrl: read<string | undefined>('PUBLIC_URL', undefined, (raw) => parseUrl(raw, ['https:', 'http:'])),
    roles: read<Role[]>('LEDGERDESK_ROLES', [...ROLES], (raw) => parseSubset(raw.toLowerCase(), ROLES)),
  };

  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    ...config,
    webhookRetryScheduleMs: Object.freeze([...config.webhookRetryScheduleMs]),
    roles: Object.freeze([...config.roles]),
  });
}

export const hasRole = (config: LedgerdeskConfig, role: Role): boolean => config.roles.includes(role);

/**
 * For the API process (the projector and worker processes set their own role): embedded read
 * models live in the memory of the process that projects them, so an api role without the
 * projector role would accept writes it can never read back.
 */
export function assertApiCanRead(config: LedgerdeskConfig): void {
  if (hasRole(config, 'api') && !hasRole(config, 'projector') && !config.mongoUrl) {
    throw new ConfigError([
      {
        variable: 'LEDGERDESK_ROLES',
        message:
          'the api role without the projector role needs MONGO_URL (without it the read models live in the memory of the process that projects them): add projector or set MONGO_URL',
      },
    ]);
  }
}

function parseAdminToken(raw: string): string {
  // A token with spaces in it is almost always a quoting mistake in a .env file.
  if (/\s/.test(raw)) throw new Error('must not contain whitespace');
  return raw;
}

/** Base64 of exactly 32 bytes (`openssl rand -base64 32`). */
function parseSecretsKey(raw: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(raw) || Buffer.from(raw, 'base64').length !== 32) {
    throw new Error('expected the base64 of 32 random bytes (e.g. `openssl rand -base64 32`)');
  }
  return raw;
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
