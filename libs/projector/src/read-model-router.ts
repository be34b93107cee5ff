import type { Projection, ProjectionTarget } from '@ledgerdesk/event-sourcing';
import type { Filter, FindOptions, IndexSpec, ProjectedDocument, ReadCollection, ReadStore, Update } from '@ledgerdesk/read-store';

/** Read-store collection holding one small document per rebuilt projection: its active generation. */
export const GENERATIONS_COLLECTION = 'projection_generations';

interface GenerationDocument extends ProjectedDocument {
  /** = generation, so `put` never lets an older switch overwrite a newer one. */
  _position: number;
  generation: number;
  switched_at: string;
}

/**
 * Physical names. Generation 0 is the read model as first built, under its logical names
 * (`tickets`); a rebuild fills generation n under `tickets__v<n>`.
 */
export const physicalName = (logical: string, generation: number): string => (generation === 0 ? logical : `${logical}__v${generation}`);

/** Checkpoint key of a generation: the projection's name for generation 0. */
export const checkpointKey = (projection: string, generation: number): string => (generation === 0 ? projection : `${projection}__v${generation}`);

/**
 * Which physical copy of each read model is active. The mapping is persisted in the read store
 * (GENERATIONS_COLLECTION), so a restart and every other process use the same copy: processes
 * without the projector re-read it every `refreshMs` (and the old copy is kept, still updated,
 * for a grace period after a switch, so a process that learns the switch late reads a current
 * copy meanwhile). In the projector's own process the switch is immediate.
 */
export class ReadModelRouter {
  private readonly generations = new Map<string, number>();
  /** logical collection name -> owning projection */
  private readonly owners = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly raw: ReadStore,
    projections: readonly Projection[],
  ) {
    for (const projection of projections) {
      for (const logical of Object.keys(projection.collections)) this.owners.set(logical, projection.name);
    }
  }

  generation(projection: string): number {
    return this.generations.get(projection) ?? 0;
  }

  checkpointKey(projection: string): string {
    return checkpointKey(projection, this.generation(projection));
  }

  /** The physical collection name reads of `logical` go to right now. */
  resolve(logical: string): string {
    const owner = this.owners.get(logical);
    return owner === undefined ? logical : physicalName(logical, this.generation(owner));
  }

  /** Where a given generation of a projection writes. */
  target(generation: number): ProjectionTarget {
    return { collection: (logical) => this.raw.collection(physicalName(logical, generation)) };
  }

  /** Re-reads the persisted mapping. Never moves a projection back to an older generation. */
  async refresh(): Promise<void> {
    const docs = await this.raw.collection<GenerationDocument>(GENERATIONS_COLLECTION).find({});
    for (const doc of docs) {
      if (doc.generation > this.generation(doc._id)) this.generations.set(doc._id, doc.generation);
    }
  }

  /** The switch: in this process at once (synchronously), then persisted for the others. */
  switchTo(projection: string, generation: number): Promise<void> {
    this.generations.set(projection, generation);
    return this.persist(projection, generation);
  }

  async persisted(projection: string): Promise<number> {
    const doc = await this.raw.collection<GenerationDocument>(GENERATIONS_COLLECTION).findOne({ _id: projection });
    return doc?.generation ?? 0;
  }

  startPolling(refreshMs = 1000): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), refreshMs);
    this.timer.unref();
  }

  stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async persist(projection: string, generation: number): Promise<void> {
    await this.raw.collection<GenerationDocument>(GENERATIONS_COLLECTION).put({
      _id: projection,
      _position: generation,
      generation,
      switched_at: new Date().toISOString(),
    });
  }
}

/**
 * The read store the read side gets (READ_STORE): `collection('tickets')` reaches the active
 * physical copy, resolved at every call, so query handlers keep addressing logical names.
 * Checkpoints and everything else pass through.
 */
export class RoutedReadStore implements ReadStore {
  constructor(
    readonly raw: ReadStore,
    readonly router: ReadModelRouter,
  ) {}

  collection<T extends ProjectedDocument = ProjectedDocument>(name: string): ReadCollection<T> {
    return new RoutedCollection<T>(() => this.raw.collection<T>(this.router.resolve(name)));
  }

  dropCollection(name: string): Promise<void> {
    return this.raw.dropCollection(name);
  }

  getCheckpoint(projection: string): Promise<number> {
    return this.raw.getCheckpoint(projection);
  }

  saveCheckpoint(projection: string, position: number): Promise<void> {
    return this.raw.saveCheckpoint(projection, position);
  }

  ping(): Promise<void> {
    return this.raw.ping();
  }

  close(): Promise<void> {
    this.router.stopPolling();
    return this.raw.close();
  }
}

class RoutedCollection<T extends ProjectedDocument> implements ReadCollection<T> {
  constructor(private readonly current: () => ReadCollection<T>) {}

  findOne(filter: Filter): Promise<T | null> {
    return this.current().findOne(filter);
  }
  find(filter: Filter, options?: FindOptions): Promise<T[]> {
    return this.current().find(filter, options);
  }
  count(filter: Filter): Promise<number> {
    return this.current().count(filter);
  }
  put(doc: T): Promise<boolean> {
    return this.current().put(doc);
  }
  updateMany(filter: Filter, update: Update, position: number): Promise<number> {
    return this.current().updateMany(filter, update, position);
  }
  clear(): Promise<void> {
    return this.current().clear();
  }
  ensureIndexes(indexes: IndexSpec[]): Promise<void> {
    return this.current().ensureIndexes(indexes);
  }
}
