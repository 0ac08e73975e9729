/**
 * What the first node has of the file while the desktop is still uploading to it: `push(part, n)`
 * says the first n bytes of `part` are in place; `end('complete')` that the upload finished and
 * was verified, `end('whole')` that the node already had the file (nothing to follow: copy from
 * the final path), `end('failed')` that it will never have it.
 */
export class SourceFeed {
  part: string | null = null;
  contiguous = 0;
  state: 'open' | 'complete' | 'whole' | 'failed' = 'open';
  readonly #listeners = new Set<() => void>();

  push(part: string, contiguous: number): void {
    this.part = part;
    this.contiguous = contiguous;
    for (const l of this.#listeners) l();
  }

  end(how: 'complete' | 'whole' | 'failed'): void {
    if (this.state !== 'open') return;
    this.state = how;
    for (const l of this.#listeners) l();
  }

  on(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves once there is something to read (a part file) or the feed ended. */
  started(): Promise<void> {
    if (this.part !== null || this.state !== 'open') return Promise.resolve();
    return new Promise((resolve) => {
      const off = this.on(() => {
        if (this.part !== null || this.state !== 'open') {
          off();
          resolve();
        }
      });
    });
  }

  /** Resolves when the feed ended, with how. */
  ended(): Promise<SourceFeed['state']> {
    if (this.state !== 'open') return Promise.resolve(this.state);
    return new Promise((resolve) => {
      const off = this.on(() => {
        if (this.state !== 'open') {
          off();
          resolve(this.state);
        }
      });
    });
  }
}
