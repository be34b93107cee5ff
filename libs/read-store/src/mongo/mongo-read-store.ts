import { Db, MongoClient } from 'mongodb';
import type { ProjectedDocument, ReadCollection, ReadStore } from '../read-store.port';
import { MongoReadCollection } from './mongo-read-collection';
import { TokenFields } from './token-fields';

const DEFAULT_DB = 'ledgerdesk';
const CHECKPOINTS = 'projection_checkpoints';

interface CheckpointDocument {
  _id: string;
  position: number;
}

/** The production read store on MongoDB (`MONGO_URL=mongodb://host:27017/ledgerdesk`). */
export class MongoReadStore implements ReadStore {
  /** Token declarations made in this process, by collection (they outlive the per-call handles). */
  private readonly tokenFields = new Map<string, TokenFields>();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  /** Connects and pings, so a wrong URL fails at start rather than at the first query. */
  static async connect(url: string): Promise<MongoReadStore> {
    const client = new MongoClient(url);
    await client.connect();
    const store = new MongoReadStore(client, client.db(databaseName(url)));
    try {
      await store.ping();
    } catch (error) {
      await client.close();
      throw error;
    }
    return store;
  }

  collection<T extends ProjectedDocument = ProjectedDocument>(name: string): ReadCollection<T> {
    let tokens = this.tokenFields.get(name);
    if (!tokens) this.tokenFields.set(name, (tokens = new TokenFields()));
    return new MongoReadCollection<T>(this.db.collection(name), tokens);
  }

  async dropCollection(name: string): Promise<void> {
    this.tokenFields.get(name)?.forget();
    // The driver answers false (no error) when the collection does not exist.
    await this.db.dropCollection(name);
  }

  async getCheckpoint(projection: string): Promise<number> {
    const checkpoint = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id: projection });
    return checkpoint?.position ?? 0;
  }

  async saveCheckpoint(projection: string, position: number): Promise<void> {
    await this.db.collection<CheckpointDocument>(CHECKPOINTS).updateOne({ _id: projection }, { $set: { position } }, { upsert: true });
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/**
 * The database named in the URL path (`mongodb://h1,h2/ledgerdesk?replicaSet=rs`), else
 * `ledgerdesk`: the driver's own default would be `test`. Parsed by hand because WHATWG URL
 * rejects the multi-host form.
 */
export function databaseName(url: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?#]*)/.exec(url);
  const name = match ? decodeURIComponent(match[1]) : '';
  return name === '' ? DEFAULT_DB : name;
}
