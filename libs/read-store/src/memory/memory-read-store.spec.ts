import { describeReadStoreContract } from '../read-store.contract';
import { MemoryReadStore } from './memory-read-store';

// No I/O, so a unit spec: the contract runs on every `jest` run.
describeReadStoreContract('memory', async () => {
  const store = new MemoryReadStore();
  return { store, cleanup: () => store.close() };
});
