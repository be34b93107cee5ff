import { generateSecretKey } from '@ledgerdesk/shared';
import { HMAC_TOKEN_PREFIX, PUBLIC_IDENTIFIER_PREFIX } from '../domain/inbox.events';

/** `ldp_` + 24 base62: public, names the inbox in the client API's URLs. */
export const newPublicIdentifier = () => generateSecretKey(PUBLIC_IDENTIFIER_PREFIX, 24);

/** `ldh_` + 32 base62: the integrator's backend signs contact identifiers with it. */
export const newHmacToken = () => generateSecretKey(HMAC_TOKEN_PREFIX, 32);
