/**
 * The transcript of a terminal session: what the operator saw, as plain text (escape sequences
 * and carriage returns removed), with every secret the core knows masked. Text is written in
 * whole lines, so a secret is masked even when the shell's output splits it across chunks; of a
 * line longer than 8 KiB what is written early ends where no secret can have been cut (the rest
 * waits for more output).
 *
 * The operator can switch it off and on per terminal: while off, output is dropped here (the terminal still shows it),
 * and the file says where the gap starts and ends, so a reader knows it is not the whole session.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import type { Redactor } from '../log';

// CSI (ESC [ … final), OSC (ESC ] … BEL or ESC \), other two-character escapes, and lone C0 controls but \t and \n.
const ESCAPES =
  // eslint-disable-next-line no-control-regex -- control characters are what a transcript strips
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[()][0-9A-Za-z]|\x1b[ -~]|[\x00-\x08\x0b-\x1f\x7f]/g;
// eslint-disable-next-line no-control-regex -- the C0 controls left after stripping
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;
const MAX_LINE = 8192;
/** Output is stripped, masked and written in batches of up to this many characters. */
const BATCH = 65_536;

/** `text` as the transcript keeps it: escape sequences, carriage returns and other controls removed. */
function strip(text: string): string {
  // Fast path for the common case (plain lines): only CRLF to drop, no other control character.
  const plain = text.includes('\r\n') ? text.replaceAll('\r\n', '\n') : text;
  if (
    plain.includes('\x1b') ||
    plain.includes('\r') ||
    plain.includes('\b') ||
    plain.includes('\x07') ||
    (plain.length < 4096 && CONTROL.test(plain))
  )
    return plain.replace(ESCAPES, '');
  return plain;
}

export class Transcript {
  readonly path: string;
  #out: WriteStream | null = null;
  #partial = '';
  #queue: string[] = [];
  #queued = 0;
  #soon: NodeJS.Immediate | null = null;
  #closed = false;
  #enabled = true;
  /** Whether output was ever left out (logging was off for a while). */
  #gaps = false;

  /** The file is created with the first output (a session that never connected leaves none). */
  constructor(
    path: string,
    private readonly dir: string,
    private readonly redactor: Redactor,
    /** Off: nothing is written (no file either) until it is turned on. */
    enabled = true,
  ) {
    this.path = path;
    this.#enabled = enabled;
    this.#gaps = !enabled;
  }

  #stream(): WriteStream {
    if (!this.#out) {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.#out = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
      this.#out.on('error', () => undefined);
    }
    return this.#out;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Whether the file has all of the session's output: logging was never off. */
  get whole(): boolean {
    return !this.#gaps;
  }

  /** Whether there is a file (it is created with the first output written). */
  get exists(): boolean {
    return this.#out !== null;
  }

  /** Logging on or off from now on; the switch is noted in the file (what was queued before it is written first). */
  setEnabled(on: boolean): void {
    if (this.#closed || on === this.#enabled) return;
    if (on) {
      this.#enabled = true;
      this.note('logging turned on by the operator');
    } else {
      this.note('logging turned off by the operator; output until it is turned on again is not in this file');
      this.#enabled = false;
      this.#gaps = true;
    }
  }

  /** Queues output; it is processed in batches (at the end of this I/O turn, or at BATCH characters). */
  write(text: string): void {
    if (this.#closed || !this.#enabled) return;
    this.#queue.push(text);
    this.#queued += text.length;
    if (this.#queued >= BATCH) this.#process();
    else this.#soon ??= setImmediate(() => this.#process());
  }

  #process(): void {
    if (this.#soon) clearImmediate(this.#soon);
    this.#soon = null;
    if (this.#queued === 0) return;
    const all = this.#partial + (this.#queue.length === 1 ? this.#queue[0]! : this.#queue.join(''));
    this.#queue = [];
    this.#queued = 0;
    const cut = all.lastIndexOf('\n');
    if (cut < 0) {
      // Keep an unfinished escape sequence or secret together with the rest of its line, up to a point.
      if (all.length > MAX_LINE) {
        const plain = strip(all);
        const safe = this.redactor.safeCut(plain);
        this.#write(plain.slice(0, safe));
        this.#partial = plain.slice(safe);
      } else this.#partial = all;
      return;
    }
    this.#emit(all.slice(0, cut + 1));
    this.#partial = all.slice(cut + 1);
  }

  /** A line of the app's own (reconnects, exits), marked as such. */
  note(text: string): void {
    if (this.#closed || !this.#enabled) return;
    this.#process();
    this.#emit(`${this.#partial}\n[${new Date().toISOString()}] ${text}\n`);
    this.#partial = '';
  }

  #emit(text: string): void {
    this.#write(strip(text));
  }

  #write(plain: string): void {
    if (plain) this.#stream().write(this.redactor.redact(plain));
  }

  /** Output not yet on disk: the session pauses its channel while this is large. */
  get backlog(): number {
    return (this.#out?.writableLength ?? 0) + this.#queued;
  }

  /** Calls `f` once the file has caught up. */
  onceDrained(f: () => void): void {
    this.#process();
    if (!this.#out || this.backlog === 0) f();
    else this.#out.once('drain', f);
  }

  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#process();
    if (this.#partial) this.#emit(this.#partial);
    this.#partial = '';
    this.#closed = true;
    const out = this.#out;
    return out ? new Promise((resolve) => out.end(resolve)) : Promise.resolve();
  }
}
