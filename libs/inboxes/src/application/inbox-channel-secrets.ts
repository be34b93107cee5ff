import { generateSecretKey, type CommandContext } from '@ledgerdesk/shared';
import { HMAC_TOKEN_PREFIX, PUBLIC_IDENTIFIER_PREFIX } from '../domain/inbox.events';

/** `ldp_` + 24 base62: public, names the inbox in the client API's URLs. */
export const newPublicIdentifier = (context: CommandContext) => generateSecretKey(PUBLIC_IDENTIFIER_PREFIX, 24, context);

/** `ldh_` + 32 base62: the integrator's backend signs contact identifiers with it. */
export const newHmacToken = (context: CommandContext) => generateSecretKey(HMAC_TOKEN_PREFIX, 32, context);
