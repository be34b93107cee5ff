/** Metadata of an event the system wrote in a workspace, now: for events a test appends directly. */
export const systemEventMetadata = (workspaceId: string | null) => ({
  workspace_id: workspaceId,
  actor: { type: 'system' as const, id: null },
  request_id: null,
  correlation_id: null,
  causation_id: null,
  occurred_at: new Date().toISOString(),
  schema_version: 1,
});
