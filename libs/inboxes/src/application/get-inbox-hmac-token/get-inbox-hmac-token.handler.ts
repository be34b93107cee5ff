import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { SecretBox } from '@ledgerdesk/shared';
import { inboxDecider } from '../../domain/inbox.decider';
import { inboxStreamId } from '../../domain/inbox.events';
import { GetInboxHmacTokenQuery } from './get-inbox-hmac-token.query';

/**
 * Read from the inbox's stream, not the read model: a rotated token must stop verifying at once,
 * in every process, whatever the projector's lag.
 */
@QueryHandler(GetInboxHmacTokenQuery)
export class GetInboxHmacTokenHandler implements IQueryHandler<GetInboxHmacTokenQuery, string | null> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async execute({ inboxId }: GetInboxHmacTokenQuery): Promise<string | null> {
    const { state } = await this.runner.load(inboxStreamId(inboxId), inboxDecider);
    if (!state.exists || state.hmacToken === null) return null;
    return this.secrets.open(state.hmacToken);
  }
}
