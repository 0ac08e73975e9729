/**
 * The recent output of a terminal, kept for a subscriber that comes back (the page re-opened).
 *
 * A fixed ring of UTF-16 code units outside the JS heap: a flood passes tens of megabytes per
 * second through it, and strings held for a few batches would survive the young generation's
 * collections and pile up in the old one until a full collection. Copying into the ring is a
 * native copy; nothing stays alive but the ring itself.
 */
export class ReplayRing {
  readonly #buf: Buffer;
  /** Code units written in all (the ring holds the last min(written, capacity)). */
  #written = 0;

  constructor(readonly capacity: number) {
    this.#buf = Buffer.alloc(capacity * 2);
  }

  get length(): number {
    return Math.min(this.#written, this.capacity);
  }

  push(text: string): void {
    const cap = this.capacity;
    // Only the last `cap` units of a long text can survive.
    const t = text.length > cap ? text.slice(text.length - cap) : text;
    let at = (this.#written + text.length - t.length) % cap;
    let from = 0;
    while (from < t.length) {
      const n = Math.min(t.length - from, cap - at);
      this.#buf.write(from === 0 && n === t.length ? t : t.slice(from, from + n), at * 2, n * 2, 'utf16le');
      from += n;
      at = (at + n) % cap;
    }
    this.#written += text.length;
  }

  /** The recent output, oldest first (a lone low surrogate left by the cut is dropped). */
  text(): string {
    const cap = this.capacity;
    const n = this.length;
    const start = (this.#written - n) % cap;
    const first = Math.min(n, cap - start);
    let s = this.#buf.toString('utf16le', start * 2, (start + first) * 2) + this.#buf.toString('utf16le', 0, (n - first) * 2);
    const c = s.charCodeAt(0);
    if (c >= 0xdc00 && c <= 0xdfff) s = s.slice(1);
    return s;
  }
}
