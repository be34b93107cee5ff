import type { WrittenEvent } from '@ledgerdesk/event-sourcing';
import type { EventStore } from '@ledgerdesk/event-store';
import { articleStreamId } from '../domain/article.events';

export interface ArticleTimes {
  created_at: string;
  updated_at: string;
}

/**
 * When an article was created and last changed: the `occurred_at` of the first and the last
 * event of its stream. The decider's state holds no time (evolve sees no event metadata), so
 * an answer built from a write takes the last change from the events it wrote, and the rest
 * from the log: never from the read model, which may not have applied the article yet.
 */
export async function articleTimes(store: EventStore, articleId: string, written: ReadonlyArray<WrittenEvent>): Promise<ArticleTimes> {
  const streamId = articleStreamId(articleId);
  const lastWritten = written.at(-1);
  const [[first], last] = await Promise.all([
    store.readStream(streamId, { maxCount: 1 }),
    lastWritten ?? store.readStream(streamId, { direction: 'backwards', maxCount: 1 }).then(([event]) => event),
  ]);
  return { created_at: first.metadata.occurred_at, updated_at: last.metadata.occurred_at };
}
