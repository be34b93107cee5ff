import { Injectable } from '@nestjs/common';
import { CommandRunner } from '@ledgerdesk/event-sourcing';
import { customerDecider, customerStreamId, type CustomerState } from '@ledgerdesk/customers';
import { inboxDecider, inboxStreamId, type InboxState } from '@ledgerdesk/inboxes';
import { SecretBox, type CommandContext } from '@ledgerdesk/shared';
import { contactSessionDecider } from '../domain/contact-session.decider';
import { contactSessionStreamId } from '../domain/contact-session.events';
import { isSourceId, newPubsubToken, newSourceId } from '../domain/contact-session-credentials';
import { contactSessionOf, type ContactSession } from './contact-session.view';

export interface OpenedContactSession {
  session: ContactSession;
  /** Log position of the session's opening. */
  position: number | null;
}

/**
 * What every channel use case does with sessions: open one (after reading the customer's and
 * the inbox's streams, for the decider to check), and find one by its source_id with
 * consistent reads of the session's and its customer's streams (no read-model lag).
 */
@Injectable()
export class ContactSessions {
  constructor(
    private readonly runner: CommandRunner,
    private readonly secrets: SecretBox,
  ) {}

  async open(
    input: { workspaceId: string; customerId: string; inboxId: string; hmacVerified: boolean },
    context: CommandContext,
  ): Promise<OpenedContactSession> {
    const [customer, inbox] = await Promise.all([this.customer(input.customerId), this.inbox(input.inboxId)]);
    const sourceId = newSourceId(context);
    const pubsubToken = newPubsubToken(context);
    const outcome = await this.runner.run(
      contactSessionStreamId(sourceId),
      contactSessionDecider,
      { type: 'OpenContactSession', sourceId, ...input, pubsubToken: this.secrets.seal(pubsubToken), customer, inbox },
      context,
      { newStream: true },
    );
    // The state the written event leads to, its token in clear (we just made it).
    return { session: contactSessionOf(outcome.state, () => pubsubToken), position: outcome.position };
  }

  /** The session and its customer; null when the source_id is malformed, unknown, or its customer is erased. */
  async find(sourceId: string): Promise<{ session: ContactSession; customer: CustomerState } | null> {
    if (!isSourceId(sourceId)) return null;
    const { state } = await this.runner.load(contactSessionStreamId(sourceId), contactSessionDecider);
    if (!state.exists || !state.customerId) return null;
    const customer = await this.customer(state.customerId);
    if (!customer.exists || customer.deleted) return null;
    return { session: contactSessionOf(state, (sealed) => this.secrets.open(sealed)), customer };
  }

  async customer(customerId: string): Promise<CustomerState> {
    return (await this.runner.load(customerStreamId(customerId), customerDecider)).state;
  }

  async inbox(inboxId: string): Promise<InboxState> {
    return (await this.runner.load(inboxStreamId(inboxId), inboxDecider)).state;
  }
}
