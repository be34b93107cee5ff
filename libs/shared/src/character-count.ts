/**
 * Characters as the contract counts them ("1..20,000 chars"), exactly as class-validator's Length
 * (validator's isLength) counts every other text field: a surrogate pair (an emoji) is one, and
 * a variation selector (U+FE0E, U+FE0F, as in "❤️") adds none.
 */
export function characterCount(text: string): number {
  let uncounted = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit === 0xfe0e || unit === 0xfe0f) uncounted++;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        uncounted++;
        i++;
      }
    }
  }
  return text.length - uncounted;
}
