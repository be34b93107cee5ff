import { deciderSpecification } from '@ledgerdesk/testing';
import type { DomainError } from '@ledgerdesk/shared';
import { configuredIntegration, slackIntegrationDecider } from './slack-integration.decider';
import type { SlackIntegrationEvent } from './slack-integration.events';

const spec = deciderSpecification(slackIntegrationDecider);
const T0 = '2026-05-04T10:00:00.000Z';
const T1 = '2026-05-04T11:00:00.000Z';
const configured: SlackIntegrationEvent = {
  type: 'SlackIntegrationConfigured',
  data: { bot_token: 'xoxb-1234567890', default_channel_id: 'C0TEST01', signing_secret: null, at: T0 },
};
const removed: SlackIntegrationEvent = { type: 'SlackIntegrationRemoved', data: { at: T1 } };
const configure = { type: 'configure', workspaceId: 'w-1', botToken: 'xoxb-1234567890', defaultChannelId: 'C0TEST01', signingSecret: null, at: T0 } as const;

describe('slack integration decider', () => {
  it('given nothing, when configured, then SlackIntegrationConfigured', () => {
    spec.given([]).when(configure).then([configured]);
  });

  it('given a configuration, when configured again, then it is replaced', () => {
    spec
      .given([configured])
      .when({ ...configure, defaultChannelId: 'C0OTHER', signingSecret: 'signing-secret', at: T1 })
      .then([
        { type: 'SlackIntegrationConfigured', data: { bot_token: 'xoxb-1234567890', default_channel_id: 'C0OTHER', signing_secret: 'signing-secret', at: T1 } },
      ]);
  });

  it('given a configuration, when removed, then SlackIntegrationRemoved', () => {
    spec.given([configured]).when({ type: 'remove', workspaceId: 'w-1', at: T1 }).then([removed]);
  });

  it('given none or a removed one, when removed, then not found', () => {
    const notFound = (e: DomainError) => e.code === 'NOT_FOUND' && e.message === 'Slack integration not found';
    spec.given([]).when({ type: 'remove', workspaceId: 'w-1', at: T1 }).thenThrows<DomainError>(notFound);
    spec.given([configured, removed]).when({ type: 'remove', workspaceId: 'w-1', at: T1 }).thenThrows<DomainError>(notFound);
  });

  it('evolves: the configuration and its time; removal forgets the secrets', () => {
    const fold = (events: SlackIntegrationEvent[]) => events.reduce(slackIntegrationDecider.evolve, slackIntegrationDecider.initialState);
    expect(configuredIntegration(fold([configured]))).toEqual({
      configured: true,
      bot_token: 'xoxb-1234567890',
      default_channel_id: 'C0TEST01',
      signing_secret: null,
      updated_at: T0,
    });
    expect(fold([configured, removed])).toEqual({ configured: false, bot_token: null, default_channel_id: null, signing_secret: null, updated_at: T1 });
    expect(() => configuredIntegration(fold([]))).toThrow('Slack integration not found');
  });
});
