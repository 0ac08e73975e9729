/**
 * A terminal session's output on its way to the client.
 *
 * Output: decoded text is written to the transcript and queued; the queue is flushed at once when
 * the session was idle, otherwise coalesced for BATCH_MS (and flushed early once MAX_BATCH
 * characters wait), so a flood becomes a few large messages while a keystroke echo goes out
 * immediately.
 *
 * Flow control (as VS Code's terminal): every character queued counts as unacknowledged until the
 * client says it has written it (`ack`). Above HIGH_WATERMARK the source (the SSH channel) is
 * paused, which stops the SSH window from being re-opened, so the server stops sending; below
 * LOW_WATERMARK it resumes. Nothing is dropped, and what the core holds stays bounded.
 */
import type { TerminalEvent } from '../../../shared/api/contracts/terminal';
import { ReplayRing } from './replay';
import type { Transcript } from './transcript';

export const HIGH_WATERMARK = 1_000_000;
export const LOW_WATERMARK = 750_000;
export const BATCH_MS = 5;
/** The transcript file may fall this far behind (bytes) before the channel is paused for it. */
export const TRANSCRIPT_BACKLOG = 4 * 1024 * 1024;
export const MAX_BATCH = 65_536;
/** A batch smaller than this counts as interactive output (echo, prompts). */
const INTERACTIVE_BATCH = 1024;
/** Recent output sent again to a new subscriber (e.g. the page was re-opened). */
export const REPLAY_CHARS = 262_144;

export interface OutputSink {
  next(event: TerminalEvent): void;
  end(): void;
}

export interface SessionStats {
  receivedBytes: number;
  emittedChars: number;
  batches: number;
  pauses: number;
  resumes: number;
  /** The most characters ever unacknowledged at once. */
  maxUnacked: number;
}

/** What flow control stops and starts: the current channel, when there is one. */
export interface OutputSource {
  pause(): void;
  resume(): void;
}

export class SessionOutput {
  readonly #transcript: Transcript;
  readonly #stats: SessionStats;
  readonly #source: OutputSource;
  #pending: string[] = [];
  #pendingChars = 0;
  #unacked = 0;
  #paused = false;
  #seq = 0;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #lastFlushAt = 0;
  #lastBatchChars = 0;
  #sink: OutputSink | null = null;
  readonly #replay = new ReplayRing(REPLAY_CHARS);

  constructor(transcript: Transcript, stats: SessionStats, source: OutputSource) {
    this.#transcript = transcript;
    this.#stats = stats;
    this.#source = source;
  }

  get unacked(): number {
    return this.#unacked;
  }
  get paused(): boolean {
    return this.#paused;
  }

  /** A new channel became the source. */
  sourceChanged(): void {
    this.#paused = false;
    // Flow control continues across connections: still-unacknowledged output pauses the new channel too.
    if (this.#unacked > HIGH_WATERMARK) this.#pause();
  }

  write(text: string): void {
    this.#transcript.write(text);
    this.#pending.push(text);
    this.#pendingChars += text.length;
    this.#unacked += text.length;
    if (this.#unacked > this.#stats.maxUnacked) this.#stats.maxUnacked = this.#unacked;
    if (!this.#paused && (this.#unacked > HIGH_WATERMARK || this.#transcript.backlog > TRANSCRIPT_BACKLOG)) {
      this.#pause();
      // A slow disk: resume when the transcript caught up (and the client too).
      if (this.#transcript.backlog > TRANSCRIPT_BACKLOG) this.#transcript.onceDrained(() => this.#maybeResume());
    }
    if (!this.#sink) return;
    // Paused, nothing more comes to coalesce with: send what waits, so acks can bring unacked down.
    if (this.#paused || this.#pendingChars >= MAX_BATCH) this.flush();
    else this.#schedule();
  }

  /**
   * Interactive output (the last batch was small, or nothing was sent for BATCH_MS) goes out as
   * soon as the current I/O turn is over, which still merges the SSH packets of one socket read;
   * bulk output waits up to BATCH_MS to travel in fewer, larger messages.
   */
  #schedule(): void {
    if (this.#timer || this.#immediate) return;
    const idle = performance.now() - this.#lastFlushAt > BATCH_MS;
    if (idle || this.#lastBatchChars < INTERACTIVE_BATCH) {
      this.#immediate = setImmediate(() => {
        this.#immediate = null;
        this.flush();
      });
    } else {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.flush();
      }, BATCH_MS);
    }
  }

  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = null;
    this.#immediate = null;
    if (this.#pendingChars === 0 || !this.#sink) return;
    const data = this.#pending.length === 1 ? this.#pending[0]! : this.#pending.join('');
    this.#lastFlushAt = performance.now();
    this.#lastBatchChars = data.length;
    this.#pending = [];
    this.#pendingChars = 0;
    this.#seq++;
    this.#stats.batches++;
    this.#stats.emittedChars += data.length;
    this.#replay.push(data);
    this.#sink.next({ kind: 'data', data, seq: this.#seq });
  }

  #pause(): void {
    this.#paused = true;
    this.#stats.pauses++;
    this.#source.pause();
  }

  #resume(): void {
    this.#paused = false;
    this.#stats.resumes++;
    this.#source.resume();
  }

  ack(chars: number): void {
    this.#unacked = Math.max(0, this.#unacked - chars);
    this.#maybeResume();
  }

  #maybeResume(): void {
    if (this.#paused && this.#unacked < LOW_WATERMARK && this.#transcript.backlog <= TRANSCRIPT_BACKLOG) this.#resume();
  }

  /** An event other than data goes out after the output queued before it. */
  emit(event: TerminalEvent): void {
    if (event.kind !== 'data') this.flush();
    this.#sink?.next(event);
  }

  /**
   * Delivers output to `sink` from now on, starting with the recent output and then `state`;
   * a previous subscriber is ended. Characters sent to the previous one and not acknowledged are
   * forgotten (that client is gone).
   */
  subscribe(sink: OutputSink, state: TerminalEvent): () => void {
    const previous = this.#sink;
    this.#sink = null;
    previous?.end();
    const replay = this.#replay.text();
    this.#unacked = this.#pendingChars + replay.length;
    this.#sink = sink;
    if (replay) {
      this.#seq++;
      sink.next({ kind: 'data', data: replay, seq: this.#seq });
    }
    sink.next(state);
    this.flush();
    this.#maybeResume();
    return () => {
      if (this.#sink === sink) this.#sink = null;
    };
  }

  /** Ends the subscriber, if any: nothing more will come. */
  end(): void {
    const sink = this.#sink;
    this.#sink = null;
    sink?.end();
  }
}
