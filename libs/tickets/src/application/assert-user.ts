import type { ReadStore } from '@ledgerdesk/read-store';
import { invalidReference } from '@ledgerdesk/shared';

/** A user of the workspace (not deleted), for assignee_id and author_id. */
export async function assertUser(readStore: ReadStore, workspaceId: string, userId: string, field: string): Promise<void> {
  const user = await readStore.collection('users').findOne({ _id: userId, workspace_id: workspaceId, deleted: { $ne: true } });
  if (!user) throw invalidReference(field, 'user');
}
