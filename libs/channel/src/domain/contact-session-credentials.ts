import { generateSecretKey, type CommandContext } from '@ledgerdesk/shared';

export const SOURCE_ID_PREFIX = 'lds_';
const SOURCE_ID = /^lds_[A-Za-z0-9]{32}$/;
export const PUBSUB_TOKEN_PREFIX = 'ldps_';

/** A session's credential for the client API: `lds_` + 32 random base62 (~190 bits). */
export const newSourceId = (context: CommandContext) => generateSecretKey(SOURCE_ID_PREFIX, 32, context);

/** The session's own real-time secret, distinct from its source_id. */
export const newPubsubToken = (context: CommandContext) => generateSecretKey(PUBSUB_TOKEN_PREFIX, 40, context);

/** Could this be a source_id at all (anything else names no session, without a read)? */
export const isSourceId = (value: unknown): value is string => typeof value === 'string' && SOURCE_ID.test(value);
