import type { Decider } from '@ledgerdesk/event-sourcing';

/** The root post of a ticket's thread: stream `slack-thread-<ticket id>`, apart from the ticket's. */
export const slackThreadStreamId = (ticketId: string) => `slack-thread-${ticketId}`;

export interface SlackThreadLinkedData {
  ticket_id: string;
  channel_id: string;
  ts: string;
  [key: string]: unknown;
}

export type SlackThreadEvent = { type: 'SlackThreadLinked'; data: SlackThreadLinkedData };

/** Links a ticket to its Slack thread once; a second link (a re-run after a crash) is a no-op. */
export const slackThreadDecider: Decider<SlackThreadLinkedData, SlackThreadEvent, SlackThreadLinkedData | null> = {
  initialState: null,
  decide: (command, state) => (state ? [] : [{ type: 'SlackThreadLinked', data: command }]),
  evolve: (state, event) => state ?? event.data,
};
