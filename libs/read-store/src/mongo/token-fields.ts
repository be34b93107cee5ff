import type { Document } from 'mongodb';
import type { IndexSpec } from '../read-store.port';
import { derivedTokens, type DerivedTokens } from '../search/derived-tokens';
import { SEARCH_TOKENS_FIELD, fieldTexts, searchTokens } from '../search/search-tokens';

/**
 * What this process declared (ensureIndexes) about one collection's token fields. The store
 * hands the same object to every handle on the collection, as handles are made per call.
 */
export class TokenFields {
  /** Token indexes MongoDB keeps derived: the adapter writes their field. */
  derived: DerivedTokens[] = [];
  /** Token fields the documents carry themselves (`tokens: true`). */
  private readonly stored = new Set<string>();
  private hiddenFields: Document | undefined = { [SEARCH_TOKENS_FIELD]: 0 };

  declare(spec: IndexSpec): void {
    const derived = derivedTokens(spec);
    if (derived) {
      if (!this.derived.some((d) => d.field === derived.field)) this.derived = [...this.derived, derived];
    } else if (spec.tokens === true) this.stored.add(Object.keys(spec.keys)[0]);
    this.hiddenFields = this.computeHidden();
  }

  forget(): void {
    this.derived = [];
    this.stored.clear();
    this.hiddenFields = this.computeHidden();
  }

  /**
   * The projection reads use: derived fields are the store's, never returned; and `search_tokens`
   * is returned only where this process declared the documents keep it themselves (the
   * projector that writes them), since a reader elsewhere (an API process, which declares
   * nothing) cannot tell, and derived token arrays can hold thousands of entries a document.
   */
  get hidden(): Document | undefined {
    return this.hiddenFields;
  }

  /** `doc` as stored: with its derived token fields computed from its texts. */
  withTokens<T extends Document>(doc: T): T {
    if (this.derived.length === 0) return doc;
    const out: Document = { ...doc };
    for (const d of this.derived) out[d.field] = tokensOf(out, d);
    return out as T;
  }

  private computeHidden(): Document | undefined {
    const hidden: Document = {};
    for (const d of this.derived) hidden[d.field] = 0;
    if (!this.stored.has(SEARCH_TOKENS_FIELD)) hidden[SEARCH_TOKENS_FIELD] = 0;
    return Object.keys(hidden).length > 0 ? hidden : undefined;
  }
}

/** The tokens of `doc`'s source texts for `derived`. */
export function tokensOf(doc: Document, derived: DerivedTokens): readonly number[] {
  return searchTokens(...fieldTexts(doc, derived.from));
}
