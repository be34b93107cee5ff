import type { CommandRunner } from '@ledgerdesk/event-sourcing';
import { notFound } from '@ledgerdesk/shared';
import { inboxDecider, type InboxState } from '../domain/inbox.decider';
import { inboxStreamId } from '../domain/inbox.events';

/** The inbox as the write side sees it; another workspace's inbox is indistinguishable from none. */
export async function loadWorkspaceInbox(runner: CommandRunner, workspaceId: string, inboxId: string): Promise<InboxState> {
  const { state } = await runner.load(inboxStreamId(inboxId), inboxDecider);
  if (!state.exists || state.workspaceId !== workspaceId) throw notFound('Inbox');
  return state;
}
