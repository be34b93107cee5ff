import type { CredentialsService } from '../auth/credentials.service';

/** How often a watched key is checked again: a revoked key is cut within a second. */
const KEY_RECHECK_MS = 250;

interface WatchedKey {
  workspaceId: string;
  onRevoked: Set<() => void>;
  timer: NodeJS.Timeout;
  checking: boolean;
}

/**
 * The workspace keys of this process's staff sockets, each checked again every 250 ms, once
 * for all the sockets subscribed with it (a key holds up to 200): a revoked key, or one moved
 * off its workspace, closes them all.
 */
export class StaffKeyWatch {
  private readonly keys = new Map<string, WatchedKey>();

  constructor(private readonly credentials: CredentialsService) {}

  /** Calls `onRevoked` once the key no longer names `workspaceId`; returns the way to stop watching. */
  watch(key: string, workspaceId: string, onRevoked: () => void): () => void {
    const id = `${workspaceId} ${key}`;
    let entry = this.keys.get(id);
    if (!entry) {
      const created: WatchedKey = { workspaceId, onRevoked: new Set(), timer: setInterval(() => this.check(key, created), KEY_RECHECK_MS), checking: false };
      this.keys.set(id, (entry = created));
    }
    const watched = entry;
    watched.onRevoked.add(onRevoked);
    return () => {
      watched.onRevoked.delete(onRevoked);
      if (watched.onRevoked.size === 0 && this.keys.get(id) === watched) {
        clearInterval(watched.timer);
        this.keys.delete(id);
      }
    };
  }

  private check(key: string, entry: WatchedKey): void {
    if (entry.checking) return;
    entry.checking = true;
    this.credentials
      .resolveKey(key)
      .then((principal) => {
        if (principal?.kind === 'workspace' && principal.workspaceId === entry.workspaceId) return;
        for (const revoked of [...entry.onRevoked]) revoked();
      })
      .catch(() => undefined)
      .finally(() => (entry.checking = false));
  }
}
