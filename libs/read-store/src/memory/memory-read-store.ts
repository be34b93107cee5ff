import type { ProjectedDocument, ReadCollection, ReadStore } from '../read-store.port';
import { MemoryReadCollection } from './memory-read-collection';

/**
 * The embedded read store: collections live in this process and are rebuilt from the event
 * log at start, so nothing here is durable, checkpoints included (they start at 0).
 */
export class MemoryReadStore implements ReadStore {
  private readonly collections = new Map<string, MemoryReadCollection<ProjectedDocument>>();
  private readonly checkpoints = new Map<string, number>();

  collection<T extends ProjectedDocument = ProjectedDocument>(name: string): ReadCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new MemoryReadCollection<ProjectedDocument>(name);
      this.collections.set(name, collection);
    }
    return collection as unknown as ReadCollection<T>;
  }

  async dropCollection(name: string): Promise<void> {
    this.collections.get(name)?.drop();
  }

  async getCheckpoint(projection: string): Promise<number> {
    return this.checkpoints.get(projection) ?? 0;
  }

  async saveCheckpoint(projection: string, position: number): Promise<void> {
    this.checkpoints.set(projection, position);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
