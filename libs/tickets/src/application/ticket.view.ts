import type { MessageDocument, TicketDocument } from '../projections/ticket.read-model';

/** The public Ticket object of API.md section 4. */
export function toTicketView(doc: TicketDocument) {
  return {
    id: doc.id,
    ticket_number: doc.ticket_number,
    subject: doc.subject,
    description: doc.description,
    status: doc.status,
    priority: doc.priority,
    source: doc.source,
    inbox_id: doc.inbox_id,
    customer_id: doc.customer_id,
    customer: doc.customer,
    assignee_id: doc.assignee_id,
    tags: doc.tags,
    custom_fields: doc.custom_fields,
    merged_into_id: doc.merged_into_id,
    message_count: doc.message_count,
    created_at: doc.created_at,
    updated_at: doc.updated_at,
    last_message_at: doc.last_message_at,
  };
}

export type TicketView = ReturnType<typeof toTicketView>;

export type MessageView = ReturnType<typeof toMessageView>;

export function toMessageView(doc: Pick<MessageDocument, 'id' | 'author_type' | 'author_id' | 'body' | 'created_at'>) {
  return { id: doc.id, author_type: doc.author_type, author_id: doc.author_id, body: doc.body, created_at: doc.created_at };
}

/**
 * Bounded per-document caches for the hot read paths. Stored read-model documents are frozen
 * and replaced (never mutated) on write, so a view or its JSON computed from one document
 * object stays exact for as long as that object lives. Keys are held weakly, and a generation
 * is dropped whole once it holds `CACHE_GENERATION` entries: memory stays bounded (a few MB)
 * however many tickets are read.
 */
const CACHE_GENERATION = 4096;

class WeakGenerationCache<K extends object, V> {
  private map = new WeakMap<K, V>();
  private size = 0;

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  set(key: K, value: V): void {
    if (++this.size > CACHE_GENERATION) {
      this.map = new WeakMap();
      this.size = 1;
    }
    this.map.set(key, value);
  }
}

const views = new WeakGenerationCache<TicketDocument, TicketView>();
const viewJson = new WeakGenerationCache<TicketView, string>();

/**
 * toTicketView for a stored (frozen) document, the same object for the same document: frozen,
 * so a caller cannot alter what the next reader gets. Use toTicketView for a document the
 * caller may still change.
 */
export function storedTicketView(doc: TicketDocument): TicketView {
  let view = views.get(doc);
  if (view === undefined) {
    view = Object.freeze(toTicketView(doc));
    views.set(doc, view);
  }
  return view;
}

/** JSON.stringify(view), computed once per view object returned by storedTicketView. */
export function ticketViewJson(view: TicketView): string {
  let json = viewJson.get(view);
  if (json === undefined) {
    json = JSON.stringify(view);
    if (Object.isFrozen(view)) viewJson.set(view, json);
  }
  return json;
}
