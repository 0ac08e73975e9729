/**
 * Masks every occurrence of many strings in one pass over a text, at a cost that does not grow with
 * how many strings there are. The redactor needs this: terminal output passes through it in 64 KiB
 * batches, and with each secret's encoded forms it looks for hundreds of strings — one `includes`
 * pass per string made that hundreds of passes over every batch.
 *
 * How: only every `stride`-th window of four characters is looked at, stride = (shortest string) − 3,
 * so every occurrence of every string contains exactly one looked-at window, at one of its first
 * `stride` offsets. A table maps the hash of each string's windows at those offsets to the strings;
 * only on a hit are strings compared. With secrets of 8 characters or more that reads a fifth of the
 * text, and a text without secrets costs a hash and a table lookup per window.
 */

/** Strings shorter than this are never masked (they would mask ordinary words). */
export const MIN_MASKED_LENGTH = 4;

const WINDOW = MIN_MASKED_LENGTH;
const HASH_BITS = 16;
const HASH_MASK = (1 << HASH_BITS) - 1;

/** Hash of text[i, i+4). */
function windowHash(text: string, i: number): number {
  // Stryker disable next-line ArithmeticOperator: equivalent, any function of the four characters works: building and looking up use the same one
  return (text.charCodeAt(i) * 29_791 + text.charCodeAt(i + 1) * 961 + text.charCodeAt(i + 2) * 31 + text.charCodeAt(i + 3)) & HASH_MASK;
}

interface Entry {
  readonly string: string;
  /** Where in `string` the window starts. */
  readonly offset: number;
}

export class StringMasker {
  readonly #stride: number;
  /** Window hash → 1 + index in #buckets (0: no string has that window). */
  readonly #table = new Uint16Array(1 << HASH_BITS);
  // Stryker disable next-line ArrayDeclaration: equivalent, the table never points at an entry made before the constructor ran
  readonly #buckets: Entry[][] = [];

  constructor(strings: Iterable<string>) {
    // Stryker disable next-line MethodExpression: equivalent, a repeated string only repeats its entries and the spans merge
    const kept = [...new Set(strings)].filter((s) => s.length >= MIN_MASKED_LENGTH);
    this.#stride = kept.length ? Math.min(...kept.map((s) => s.length)) - WINDOW + 1 : 1;
    for (const string of kept) {
      // Stryker disable next-line EqualityOperator: equivalent, one more offset only adds an entry whose comparison never matches wrongly
      for (let offset = 0; offset < this.#stride; offset++) {
        const h = windowHash(string, offset);
        // Stryker disable next-line ArrayDeclaration: equivalent, an entry that is not an Entry gives start NaN and is skipped
        if (this.#table[h] === 0) this.#table[h] = this.#buckets.push([]);
        this.#buckets[this.#table[h]! - 1]!.push({ string, offset });
      }
    }
  }

  /**
   * `text` with every occurrence of every string replaced by `replacement`. Overlapping occurrences
   * (a string that contains another, two that share characters) become one replacement covering
   * all of them, so no part of either shows; adjacent ones are replaced one by one.
   */
  mask(text: string, replacement: string): string {
    // Stryker disable next-line ConditionalExpression: equivalent, a shortcut: with no strings the scan finds nothing
    if (this.#buckets.length === 0) return text;
    const table = this.#table;
    const stride = this.#stride;
    /** [start, end) of every occurrence found. */
    const found: [number, number][] = [];
    // Stryker disable next-line ArithmeticOperator: equivalent, windows past the end hash NaN to 0 and compare nothing true
    for (let i = 0; i + WINDOW <= text.length; i += stride) {
      const bucket = table[windowHash(text, i)]!;
      if (bucket === 0) continue;
      for (const { string, offset } of this.#buckets[bucket - 1]!) {
        const start = i - offset;
        if (start >= 0 && text.startsWith(string, start)) found.push([start, start + string.length]);
      }
    }
    if (found.length === 0) return text;
    found.sort((a, b) => a[0] - b[0]);
    let out = '';
    let copied = 0;
    let [start, end] = found[0]!;
    for (const [s, e] of found) {
      if (s < end) end = Math.max(end, e);
      else {
        out += text.slice(copied, start) + replacement;
        copied = end;
        [start, end] = [s, e];
      }
    }
    return out + text.slice(copied, start) + replacement + text.slice(end);
  }
}
