import { describeReadStoreContract } from '../read-store.contract';
import { MongoReadStore, databaseName } from './mongo-read-store';

const url = process.env.MONGO_URL;

describe('databaseName', () => {
  it.each([
    ['mongodb://localhost:27017/ledgerdesk_test', 'ledgerdesk_test'],
    ['mongodb://h1:27017,h2:27017/app?replicaSet=rs0', 'app'],
    ['mongodb+srv://user:pw@cluster.example.net/prod?retryWrites=true', 'prod'],
    ['mongodb://localhost:27017', 'ledgerdesk'],
    ['mongodb://localhost:27017/?directConnection=true', 'ledgerdesk'],
  ])('%s -> %s', (input, expected) => {
    expect(databaseName(input)).toBe(expected);
  });
});

if (!url) console.warn('MongoDB read store contract suite skipped: MONGO_URL is not set');

const describeWithMongo = url ? describe : describe.skip;

describeWithMongo('MongoDB read store (MONGO_URL)', () => {
  describeReadStoreContract('mongo', async () => {
    const store = await MongoReadStore.connect(url!);
    return { store, cleanup: () => store.close() };
  });
});
