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
  private hiddenFields: Document = TokenFields.hiddenOf([]);

  declare(spec: IndexSpec): void {
    const derived = derivedTokens(spec);
    if (!derived || this.derived.some((d) => d.field === derived.field)) return;
    this.derived = [...this.derived, derived];
    this.hiddenFields = TokenFields.hiddenOf(this.derived);
  }

  forget(): void {
    this.derived = [];
    this.hiddenFields = TokenFields.hiddenOf(this.derived);
  }

  /**
   * The projection reads use: derived fields are the store's, never returned; `search_tokens`
   * is left out even where this process declared nothing (an API process), as a reader cannot
   * tell whether another process derives it, and token arrays can hold thousands of entries a
   * document.
   */
  get hidden(): Document {
    return this.hiddenFields;
  }

  /** `doc` as stored: with its derived token fields computed from its texts. */
  withTokens<T extends Document>(doc: T): T {
    if (this.derived.length === 0) return doc;
    const out: Document = { ...doc };
    for (const d of this.derived) out[d.field] = tokensOf(out, d);
    return out as T;
  }

  private static hiddenOf(derived: readonly DerivedTokens[]): Document {
    const hidden: Document = { [SEARCH_TOKENS_FIELD]: 0 };
    for (const d of derived) hidden[d.field] = 0;
    return hidden;
  }
}

/** The tokens of `doc`'s source texts for `derived`. */
export function tokensOf(doc: Document, derived: DerivedTokens): readonly number[] {
  return searchTokens(...fieldTexts(doc, derived.from));
}
