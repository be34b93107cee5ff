import type { ReadStore } from '@ledgerdesk/read-store';

/**
 * The name an agent message is shown under (API.md section 8's `sender`): its author's, or,
 * without author, the workspace's. Recorded with the message, so views need no lookup.
 */
export async function agentSenderName(readStore: ReadStore, workspaceId: string, authorId: string | null): Promise<string | null> {
  const doc = authorId
    ? await readStore.collection('users').findOne({ _id: authorId, workspace_id: workspaceId })
    : await readStore.collection('workspaces').findOne({ _id: workspaceId });
  return typeof doc?.name === 'string' ? doc.name : null;
}
